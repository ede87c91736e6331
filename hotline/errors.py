"""Domain exceptions raised by services; the UI and CLI turn them into messages."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hotline.i18n import N_, _

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _message(message: str, params: dict[str, Any]) -> str:
    """The translated message with its values; a value quoted from bad input (a lone surrogate
    from a JSON file) is shown as U+FFFD, so that printing the message cannot fail."""
    return _SURROGATE.sub("\ufffd", _(message).format(**params))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: which field, and a translatable message with parameters."""

    field: str
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def text(self) -> str:
        return _message(self.message, self.params)

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.text}


class HotlineError(Exception):
    """Base of every error a user may be shown."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message)

    @property
    def text(self) -> str:
        return _message(self.message, self.params)

    def __str__(self) -> str:
        return self.text


class ValidationError(HotlineError):
    """Every problem found in an input at once, so a form can mark all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(N_("输入有误"))

    @classmethod
    def single(cls, field_name: str, message: str, **params: Any) -> ValidationError:
        return cls([Problem(field_name, message, params)])

    @property
    def text(self) -> str:
        return "\n".join(f"{p.field}: {p.text}" for p in self.problems)

    def fields(self) -> set[str]:
        return {p.field for p in self.problems}


class PermissionDenied(HotlineError):
    """The acting user's role may not do this."""


class ConflictError(HotlineError):
    """Someone else changed the record meanwhile; nothing was written."""


class ConfirmationNeeded(HotlineError):
    """The change needs the user's answer first (e.g. a deadline it would move); nothing was
    written. Subclasses carry what to ask (see ``hotline.corrections.DeadlineQuestion``)."""


class NotFound(HotlineError):
    """The record asked for does not exist."""


class DatabaseRefused(HotlineError):
    """The database cannot be opened as it is (not a database, too new, unreadable)."""


class DatabaseUnavailable(HotlineError):
    """The database cannot be written now (locked, read-only, disk full, server gone)."""


class DatabaseReplaced(DatabaseUnavailable):
    """The SQLite file this process opened was replaced by another (a restore): reopen."""


MSG_TOO_LONG = N_("不能超过 {limit} 个字符（现有 {length} 个）")


class Problems:
    """Collects problems while validating, then raises them all at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, field_name: str, message: str, **params: Any) -> None:
        self.items.append(Problem(field_name, message, params))

    def too_long(self, field_name: str, text: str, limit: int) -> bool:
        """Whether ``text`` has more than ``limit`` characters; if so, that is a problem."""
        if len(text) <= limit:
            return False
        self.add(field_name, MSG_TOO_LONG, limit=limit, length=len(text))
        return True

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)
