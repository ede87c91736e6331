"""Adding, listing, reading and removing a case's attachments, each checked and recorded.

Rights (:mod:`hotline.permissions`):

- adding: ``ATTACHMENT_ADD``, every role that works cases (operators, shift leads,
  administrators), at intake too; a closed or withdrawn case takes new documents only from
  roles that may correct closed cases (``CASE_CORRECT_CLOSED``);
- listing: every role that may see the case (``CASE_VIEW``);
- opening, previewing and saving: ``ATTACHMENT_VIEW``. On a confidential case a role that may
  not see the confidential caller (``CASE_VIEW_CONFIDENTIAL``) sees the list, names scrubbed
  of the caller as every other text of the case, but cannot open a document: a letter or a
  photo shows the caller, and no masking can be applied to its content;
- removing: ``ATTACHMENT_REMOVE`` (shift leads and above) with a reason. The content is
  deleted; the row stays as a tombstone with the name, size, SHA-256, who removed it, when and
  why.

Every addition, opening (once per person and document within :data:`VIEW_QUIET`, on the
timeline; every time in the audit trail), saving and removal is in the audit trail
(:mod:`hotline.audit`, entity ``case`` so that other workstations refresh the case) and on
the case's timeline (``attach``, ``attachment_view``, ``attachment_remove``). Looks are audited under the
entity ``attachment`` (a look changes nothing for other workstations to reload).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from hotline import access, audit, clock, contacts, output_files, private_files, timeline
from hotline.attachments import chunks, content_types, limits, temp_copies
from hotline.attachments.records import AttachmentInfo, CaseAttachments
from hotline.attachments.schema import Attachment
from hotline.db import is_sqlite, write_transaction
from hotline.enums import Status
from hotline.errors import HotlineError, NotFound, PermissionDenied, Problems, ValidationError
from hotline.i18n import N_
from hotline.masking import Scrubber
from hotline.models import Case, CaseEvent, tuples
from hotline.permissions import Action, Actor
from hotline.storable import MSG_CONTROL, has_control_characters, required_text, visible_text

log = logging.getLogger(__name__)

NAME_LIMIT = 200
REASON_LIMIT = 500
VIEW_QUIET = dt.timedelta(minutes=30)

MSG_CASE_FULL = N_(
    "案件 {case_no} 的附件共 {used} MB，加上 {name}（{size} MB）将超过每个案件 {limit} MB 的上限，没有添加"
)
MSG_CLOSED = N_("案件 {case_no} 已{status}，只有值班长及以上可以再添加附件")
MSG_CONFIDENTIAL = N_("案件 {case_no} 为保密案件，当前角色不能查看其附件 {name}")
MSG_REMOVED = N_("附件 {name} 已于 {when} 被 {who} 删除，内容不再保存")
MSG_NO_ATTACHMENT = N_("附件不存在")
MSG_NO_CASE = N_("案件不存在")
MSG_REASON = N_("请填写删除理由")
MSG_NAME = N_("文件名不能为空")
MSG_CANNOT_READ = N_("无法读取文件 {path}：{reason}")


@dataclass(frozen=True)
class NewFile:
    """A file to attach: where it is (or an open binary file) and the name to keep."""

    name: str
    path: Path | None = None
    handle: IO[bytes] | None = None


# -- reading the list ------------------------------------------------------------------------


def _case(case_id: int, actor: Actor) -> Case:
    """The case, if ``actor`` may see it (a department, only its own: :mod:`hotline.access`)."""
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise NotFound(MSG_NO_CASE)
    access.require_case(actor, case)
    return case


def may_open(case: Case, actor: Actor) -> bool:
    """Whether ``actor`` may open the documents of ``case`` (see the module's note)."""
    if not actor.can(Action.ATTACHMENT_VIEW):
        return False
    return not case.confidential or actor.can(Action.CASE_VIEW_CONFIDENTIAL)


def _caller(case: Case) -> tuple[str, str]:
    found = contacts.of(case)
    return found.name, found.phone


def list_for_case(
    case_id: int, actor: Actor, *, include_removed: bool = True
) -> list[AttachmentInfo]:
    """The attachments of a case, oldest first, as ``actor`` may see them."""
    actor.require(Action.CASE_VIEW)
    case = _case(case_id, actor)
    return _infos(case, actor, include_removed=include_removed)


def _infos(case: Case, actor: Actor, *, include_removed: bool) -> list[AttachmentInfo]:
    query = Attachment.select().where(Attachment.case == case.id)
    if not include_removed:
        query = query.where(Attachment.removed_at.is_null())
    opening = may_open(case, actor)
    scrub = (
        Scrubber(*_caller(case))
        if case.confidential and not actor.can(Action.CASE_VIEW_CONFIDENTIAL)
        else None
    )
    return [
        AttachmentInfo.of(row, name=scrub(row.name) if scrub else None, may_open=opening)
        for row in query.order_by(Attachment.id)
    ]


def case_attachments(case_id: int, actor: Actor) -> CaseAttachments:
    """The 附件 tab in one read: the documents, the room left, the user's rights."""
    actor.require(Action.CASE_VIEW)
    case = _case(case_id, actor)
    allowed = limits.load()
    try:
        _check_may_add(actor, case)
        may_add = True
    except PermissionDenied:
        may_add = False
    return CaseAttachments(
        case_id=case.id,
        case_no=case.case_no,
        items=_infos(case, actor, include_removed=True),
        used_bytes=used_bytes(case.id),
        file_limit_mb=allowed.file_mb,
        case_limit_mb=allowed.case_mb,
        may_add=may_add,
        may_remove=actor.can(Action.ATTACHMENT_REMOVE),
        confidential_hidden=actor.can(Action.ATTACHMENT_VIEW) and not may_open(case, actor),
    )


def used_bytes(case_id: int) -> int:
    """The size of the attachments a case keeps (tombstones take no room)."""
    rows = list(
        tuples(
            Attachment.select(Attachment.size).where(
                (Attachment.case == case_id) & Attachment.removed_at.is_null()
            )
        )
    )
    return sum(int(size) for (size,) in rows)


# -- adding ----------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """The file's own name (no folders), checked as a stored text."""
    base = visible_text(os.path.basename(str(name).replace("\\", "/")))
    problems = Problems()
    if not base:
        problems.add("name", MSG_NAME)
    elif has_control_characters(base):
        problems.add("name", MSG_CONTROL)
    problems.raise_if_any()
    if len(base) > NAME_LIMIT:
        _stem, dot, ext = base.rpartition(".")
        keep = ("." + ext) if dot and len(ext) <= 10 else ""
        base = base[: NAME_LIMIT - len(keep)] + keep
    return base


def _check_may_add(actor: Actor, case: Case) -> None:
    actor.require(Action.ATTACHMENT_ADD)
    access.require_case(actor, case)
    status = Status(case.status)
    if status in (Status.CLOSED, Status.WITHDRAWN) and not actor.can(Action.CASE_CORRECT_CLOSED):
        raise PermissionDenied(MSG_CLOSED, case_no=case.case_no, status=status.label)


def add(
    actor: Actor,
    case_id: int,
    source: IO[bytes] | str | os.PathLike[str],
    name: str | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> AttachmentInfo:
    """Attach one file (a path, or a seekable binary file with ``name``) to the case."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        return add_files(actor, case_id, [NewFile(name or path.name, path=path)], progress)[0]
    return add_files(actor, case_id, [NewFile(name or "", handle=source)], progress)[0]


def add_files(
    actor: Actor,
    case_id: int,
    files: Sequence[NewFile],
    progress: Callable[[int], None] | None = None,
) -> list[AttachmentInfo]:
    """Attach ``files`` to the case in one transaction: all of them, or none when one is
    refused (its message names it). ``progress`` gets the bytes stored so far (all files)."""
    with write_transaction():
        return add_in_transaction(actor, case_id, files, progress)


def add_in_transaction(
    actor: Actor,
    case_id: int,
    files: Sequence[NewFile],
    progress: Callable[[int], None] | None = None,
) -> list[AttachmentInfo]:
    """:func:`add_files` inside the caller's write transaction (intake saves the case and its
    files together)."""
    actor.require(Action.ATTACHMENT_ADD)
    query = Case.select().where(Case.id == case_id)
    if not is_sqlite():
        query = query.for_update()  # one addition to a case at a time: the case limit holds
    case = query.first()
    if case is None:
        raise NotFound(MSG_NO_CASE)
    _check_may_add(actor, case)
    allowed = limits.load()
    used = used_bytes(case.id)
    done_before = 0
    added = []
    for new in files:
        name = clean_name(new.name)
        with _opened(new) as handle:
            size = _size_of(handle)
            _check_size(case, name, size, used, allowed)
            content_type = content_types.sniff(handle, name)
            row, stored = _store(
                actor, case, name, content_type, handle, allowed, done_before, progress
            )
        used += stored.size
        done_before += stored.size
        added.append(AttachmentInfo.of(row))
    return added


def _store(
    actor: Actor,
    case: Case,
    name: str,
    content_type: str,
    handle: IO[bytes],
    allowed: limits.AttachmentLimits,
    done_before: int,
    progress: Callable[[int], None] | None,
) -> tuple[Attachment, chunks.Written]:
    now = clock.now()
    row = Attachment.create(
        case=case.id,
        name=name,
        size=0,
        content_type=content_type,
        sha256="",
        chunks=0,
        chunk_root="",
        added_by=actor.user_id,
        added_by_name=actor.name[:40],
        added_at=now,
    )
    text = content_types.TextCheck(name) if content_type == "text" else None
    stored = chunks.write(
        row.id,
        handle,
        name=name,
        limit_bytes=allowed.file_bytes,
        on_piece=text.feed if text else None,
        progress=(lambda n: progress(done_before + n)) if progress else None,
    )
    if text is not None:
        text.finish()
    Attachment.update(
        size=stored.size, sha256=stored.sha256, chunks=stored.chunks, chunk_root=stored.root
    ).where(Attachment.id == row.id).execute()
    row.size, row.sha256, row.chunks = stored.size, stored.sha256, stored.chunks
    row.chunk_root = stored.root
    facts = _facts(row)
    timeline.add(case.id, actor, "attach", data=facts)
    audit.record(actor, "attachment.add", "case", case.case_no, facts)
    log.info(
        "attached %s (%s bytes, %s) to case %s", row.id, stored.size, content_type, case.case_no
    )
    return row, stored


def _facts(row: Attachment) -> dict[str, Any]:
    return {
        "attachment_id": row.id,
        "name": row.name,
        "size": int(row.size),
        "content_type": row.content_type,
        "sha256": row.sha256,
    }


class _opened:
    """The file of a :class:`NewFile`, opened for reading (and closed) when it is a path."""

    def __init__(self, new: NewFile) -> None:
        self.new = new
        self.own: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        if self.new.handle is not None:
            return self.new.handle
        assert self.new.path is not None
        try:
            self.own = open(self.new.path, "rb")
        except OSError as exc:
            from hotline import file_errors

            raise ValidationError.single(
                "file", MSG_CANNOT_READ, path=str(self.new.path), reason=file_errors.reason(exc)
            ) from exc
        return self.own

    def __exit__(self, *exc: object) -> None:
        if self.own is not None:
            self.own.close()


def _size_of(handle: IO[bytes]) -> int:
    start = handle.tell()
    end = handle.seek(0, os.SEEK_END)
    handle.seek(start)
    return end - start


def _check_size(
    case: Case, name: str, size: int, used: int, allowed: limits.AttachmentLimits
) -> None:
    mb = 1 << 20
    if size > allowed.file_bytes:
        raise ValidationError.single("file", chunks.MSG_TOO_BIG, name=name, limit=allowed.file_mb)
    if used + size > allowed.case_bytes:
        raise ValidationError.single(
            "file",
            MSG_CASE_FULL,
            case_no=case.case_no,
            used=f"{used / mb:.1f}",
            name=name,
            size=f"{size / mb:.1f}",
            limit=allowed.case_mb,
        )


# -- reading ---------------------------------------------------------------------------------


def _for_reading(actor: Actor, attachment_id: int) -> tuple[Attachment, Case]:
    actor.require(Action.ATTACHMENT_VIEW)
    row = Attachment.get_or_none(Attachment.id == attachment_id)
    if row is None:
        raise NotFound(MSG_NO_ATTACHMENT)
    case = _case(row.case_id, actor)
    if not may_open(case, actor):
        raise PermissionDenied(
            MSG_CONFIDENTIAL,
            case_no=case.case_no,
            name=Scrubber(*_caller(case))(row.name),
        )
    if row.removed_at is not None:
        raise NotFound(
            MSG_REMOVED,
            name=row.name,
            when=row.removed_at.strftime("%Y-%m-%d %H:%M"),
            who=row.removed_by_name or "",
        )
    return row, case


def write_to(
    actor: Actor,
    attachment_id: int,
    out: IO[bytes],
    *,
    how: str = "open",
    progress: Callable[[int], None] | None = None,
) -> AttachmentInfo:
    """Write the checked content to ``out`` and record the viewing (``how``: open, preview,
    save, export). :class:`~hotline.attachments.chunks.CorruptAttachment` when it does not
    match its hash; whatever was written to ``out`` by then must be thrown away (the
    functions below write through :func:`hotline.output_files.replacing`, which does)."""
    row, case = _for_reading(actor, attachment_id)
    chunks.copy_to(row, case.case_no, out, progress)
    _record_view(actor, row, case, how)
    return AttachmentInfo.of(row)


def save_as(
    actor: Actor,
    attachment_id: int,
    target: str | os.PathLike[str],
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Save the attachment to ``target`` (the usual output-file rules: never over the
    database, complete or not at all, owner-only)."""
    with output_files.replacing(target) as out:
        write_to(actor, attachment_id, out, how="save", progress=progress)
    return Path(target)


def private_copy(actor: Actor, attachment_id: int, *, how: str = "open") -> Path:
    """A private temporary copy (``0600`` in a ``0700`` folder of the user's data directory)
    to open with the system viewer or to preview; its name ends in the type's suffix."""
    row, _case_row = _for_reading(actor, attachment_id)
    folder = private_files.private_folder(temp_copies.folder())
    name = row.name
    wanted = content_types.suffix(row.content_type)
    if (
        wanted
        and not name.lower().endswith(wanted)
        and not (wanted == ".jpg" and name.lower().endswith(".jpeg"))
    ):
        name += wanted
    target = folder / f"{row.id}-{_safe(name)}"
    with output_files.replacing(target) as out:
        write_to(actor, attachment_id, out, how=how)
    return target


def _safe(name: str) -> str:
    return "".join("_" if ch in '/\\:*?"<>|' else ch for ch in name)


def clear_private_copies() -> int:
    """Remove the temporary copies left by earlier sessions; returns how many."""
    return temp_copies.clear()


def _record_view(actor: Actor, row: Attachment, case: Case, how: str) -> None:
    facts = _facts(row) | {"how": how}
    with write_transaction():
        # Entity "attachment", not "case": a look changes nothing, so other workstations do
        # not reload the case for it (hotline.changes), nor does this one, which would
        # preview the document again and record another look, and so on.
        audit.record(actor, "attachment.view", "attachment", case.case_no, facts)
        if how == "save" or not _viewed_lately(actor, row):
            timeline.add(case.id, actor, "attachment_view", internal=True, data=facts)


def _viewed_lately(actor: Actor, row: Attachment) -> bool:
    since = clock.now() - VIEW_QUIET
    recent = tuples(
        CaseEvent.select(CaseEvent.data).where(
            (CaseEvent.case == row.case_id)
            & (CaseEvent.action == "attachment_view")
            & (CaseEvent.actor_name == actor.name)
            & (CaseEvent.at >= since)
        )
    )
    marker = f'"attachment_id": {row.id},'
    return any(marker in (data or "") for (data,) in recent)


# -- removing --------------------------------------------------------------------------------


def remove(actor: Actor, attachment_id: int, reason: str) -> AttachmentInfo:
    """Delete the content, keep the tombstone (name, size, hash, who, when, why)."""
    actor.require(Action.ATTACHMENT_REMOVE)
    problems = Problems()
    text = required_text(problems, "reason", reason, MSG_REASON, REASON_LIMIT)
    problems.raise_if_any()
    with write_transaction():
        row = Attachment.get_or_none(Attachment.id == attachment_id)
        if row is None:
            raise NotFound(MSG_NO_ATTACHMENT)
        case = _case(row.case_id, actor)
        if row.removed_at is not None:
            raise HotlineError(
                MSG_REMOVED,
                name=row.name,
                when=row.removed_at.strftime("%Y-%m-%d %H:%M"),
                who=row.removed_by_name or "",
            )
        now = clock.now()
        chunks.delete(row.id)
        Attachment.update(
            removed_at=now, removed_by_name=actor.name[:40], removed_reason=text
        ).where(Attachment.id == row.id).execute()
        facts = _facts(row)
        timeline.add(case.id, actor, "attachment_remove", text, data=facts)
        audit.record(actor, "attachment.remove", "case", case.case_no, facts | {"reason": text})
        row = Attachment.get_by_id(row.id)
    log.info("removed attachment %s of case %s", attachment_id, case.case_no)
    return AttachmentInfo.of(row)


def ids_of(case_ids: Iterable[int]) -> list[int]:
    """The live attachments of several cases (for tests and tools)."""
    return [
        int(i)
        for (i,) in tuples(
            Attachment.select(Attachment.id).where(
                Attachment.case.in_(list(case_ids)) & Attachment.removed_at.is_null()
            )
        )
    ]
