"""Drafts of the intake form, kept on disk so that a crash or power cut mid-call loses nothing.

One JSON file per draft under ``data_dir()/drafts/<user>/``, written atomically
(:func:`hotline.output_files.replacing`: a temporary file in the same folder, flushed to disk,
then put in place), so a draft on disk is always either the previous complete version or the
new complete one. Drafts are owner-only (``0600``, their folders ``0700``). Each open intake window has its
own draft id; ``pending(user)`` lists what a user left behind, newest first.

    draft_id = drafts.new_id()
    drafts.save("zhangsan", draft_id, form_values)
    for draft in drafts.pending("zhangsan"): ...
    drafts.discard("zhangsan", draft_id)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline import clock, output_files, paths, private_files
from hotline.models import User

log = logging.getLogger(__name__)

FORMAT = 1
_SAFE = re.compile(r"[^A-Za-z0-9_-]")
_DRAFT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Draft:
    draft_id: str
    saved_at: dt.datetime
    data: dict[str, Any]


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def _user_key(user: User | str) -> str:
    """A folder name for ``user`` that is safe on every file system and cannot collide."""
    name = user if isinstance(user, str) else str(user.username)
    safe = _SAFE.sub("_", name)[:40] or "_"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{safe}-{digest}"


def folder(user: User | str) -> Path:
    return paths.data_dir() / "drafts" / _user_key(user)


def _path(user: User | str, draft_id: str) -> Path:
    if not _DRAFT_ID.match(draft_id):
        raise ValueError(f"invalid draft id: {draft_id!r}")
    return folder(user) / f"{draft_id}.json"


def save(user: User | str, draft_id: str, data: dict[str, Any]) -> Path:
    """Write the draft atomically; returns its path."""
    target = _path(user, draft_id)
    private_files.private_folder(target.parent)
    payload = {
        "format": FORMAT,
        "draft_id": draft_id,
        "saved_at": clock.now().isoformat(timespec="seconds"),
        "data": data,
    }
    text = json.dumps(payload, ensure_ascii=False, indent=1, default=str)
    with output_files.replacing(target, encoding="utf-8") as stream:
        stream.write(text)
    log.debug("draft %s saved (%s bytes)", draft_id, len(text))
    return target


def load(user: User | str, draft_id: str) -> Draft | None:
    """The draft, or None when there is none (or it cannot be read)."""
    return _read(_path(user, draft_id))


def _read(path: Path) -> Draft | None:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        data = payload["data"]
        saved_at = dt.datetime.fromisoformat(payload["saved_at"])
        if not isinstance(data, dict):
            raise ValueError("draft data is not an object")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("draft %s cannot be read, ignored: %s", path.name, exc)
        return None
    return Draft(draft_id=path.stem, saved_at=saved_at, data=data)


def pending(user: User | str, *, exclude: set[str] | frozenset[str] = frozenset()) -> list[Draft]:
    """The user's drafts, newest first (those in ``exclude`` are left out)."""
    directory = folder(user)
    if not directory.is_dir():
        return []
    found = []
    for path in directory.glob("*.json"):
        if path.stem in exclude:
            continue
        draft = _read(path)
        if draft is not None:
            found.append(draft)
    found.sort(key=lambda d: d.saved_at, reverse=True)
    return found


def discard(user: User | str, draft_id: str) -> None:
    """Remove the draft; nothing happens when it is not there."""
    with contextlib.suppress(OSError):
        _path(user, draft_id).unlink()
    log.debug("draft %s discarded", draft_id)
