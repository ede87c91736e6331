"""What a subcommand's handler gets: its arguments, the streams, the actor and the database."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from peewee import Database

from hotline import db
from hotline.errors import ValidationError
from hotline.i18n import N_, _
from hotline.permissions import Actor


@dataclass
class Context:
    args: argparse.Namespace
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def actor(self) -> Actor:
        """Command-line work is recorded as ``--user`` or the operating-system user."""
        return Actor.command_line(getattr(self.args, "user", None))

    @property
    def target(self) -> str:
        return db.resolve_target(getattr(self.args, "db", None))

    def open_db(self, *, create: bool = False) -> Database:
        """The database of ``--db`` / ``HOTLINE_DB`` / the default file, schema made current.

        Only commands that make a database (``init``, ``demo``, ``intake``, ``import``) may
        create a missing file; the others say it is missing (a mistyped path or an unmounted
        network drive must not look like an empty hotline).
        """
        return db.open_database(self.target, create=create)

    def say(self, text: str = "") -> None:
        """A line of human output (suppressed under ``--json``)."""
        if not self.json:
            print(text, file=self.stdout)

    def note(self, text: str) -> None:
        """A remark that is not the command's output (standard error)."""
        print(text, file=self.stderr)

    def emit(self, value: Any) -> None:
        """The command's JSON output (under ``--json``)."""
        json.dump(value, self.stdout, ensure_ascii=False, indent=2, default=str)
        self.stdout.write("\n")

    def usage_error(self, message: str) -> int:
        print(_("用法错误：{message}").format(message=message), file=self.stderr)
        return 2

    def read_text(self, source: str) -> str:
        """The contents of a file, or of standard input for ``-``."""
        if source == "-":
            return self.stdin.read()
        path = Path(source)
        try:
            return path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError.single(
                "file", N_("文件 {path} 不是 UTF-8 文本"), path=str(path)
            ) from exc
