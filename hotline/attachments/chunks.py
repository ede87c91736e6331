"""Writing and reading an attachment's content one chunk at a time.

Only one chunk (:data:`~hotline.attachments.schema.CHUNK_SIZE` bytes) is in memory at any
moment, whatever the size of the file. Each chunk is stored with its SHA-256 and checked
before it is handed on. The attachment keeps, beside the file's SHA-256, the SHA-256 of its
chunks' digests in order (``chunk_root``, a hash list): checked before the last chunk is
handed on, it proves that every chunk is there, in its place, and is the one written, so the
content read is the content whose file SHA-256 was taken when it was stored, with one pass
of SHA-256 over the bytes instead of two. A chunk that does not match stops the read with
:class:`CorruptAttachment`: its bytes are never passed on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from hotline.attachments.schema import CHUNK_SIZE, Attachment, AttachmentChunk
from hotline.errors import HotlineError, ValidationError
from hotline.i18n import N_
from hotline.models import tuples

log = logging.getLogger(__name__)

MSG_TOO_BIG = N_("文件 {name} 超过了单个附件 {limit} MB 的上限，没有添加")
MSG_CORRUPT = N_(
    "附件 {name}（案件 {case_no}）在数据库中已损坏（第 {chunk} 块校验不符），未打开。请从备份恢复或重新添加该文件。"
)
MSG_INCOMPLETE = N_(
    "附件 {name}（案件 {case_no}）在数据库中不完整或校验不符（SHA-256 不一致），未打开。请从备份恢复或重新添加该文件。"
)

Progress = Callable[[int], None]  # bytes done so far


class CorruptAttachment(HotlineError):
    """A stored chunk or the whole content does not match its SHA-256."""


@dataclass(frozen=True)
class Written:
    size: int
    sha256: str
    chunks: int
    root: str  # SHA-256 of the chunks' SHA-256 digests, in order


def write(
    attachment_id: int,
    source: IO[bytes],
    *,
    name: str,
    limit_bytes: int,
    on_piece: Callable[[bytes], None] | None = None,
    progress: Progress | None = None,
) -> Written:
    """Store ``source`` (read to its end) as the chunks of ``attachment_id``; inside the
    caller's transaction, so a refusal half-way leaves nothing."""
    whole = hashlib.sha256()
    root = hashlib.sha256()
    size = 0
    seq = 0
    while piece := source.read(CHUNK_SIZE):
        size += len(piece)
        if size > limit_bytes:
            raise ValidationError.single(
                "file", MSG_TOO_BIG, name=name, limit=limit_bytes // (1 << 20)
            )
        if on_piece is not None:
            on_piece(piece)
        whole.update(piece)
        digest = hashlib.sha256(piece)
        root.update(digest.digest())
        AttachmentChunk.insert(
            attachment=attachment_id, seq=seq, sha256=digest.hexdigest(), data=piece
        ).execute()
        seq += 1
        del piece
        if progress is not None:
            progress(size)
    return Written(size, whole.hexdigest(), seq, root.hexdigest())


def read(attachment: Attachment, case_no: str) -> Iterator[bytes]:
    """The content of ``attachment``, chunk by chunk, every chunk checked before it is given;
    raises :class:`CorruptAttachment` at the first that does not match."""
    root = hashlib.sha256()
    size = 0
    for seq in range(attachment.chunks):
        stored_hash, piece = _fetch(attachment, case_no, seq)
        digest = hashlib.sha256(piece)
        if digest.hexdigest() != stored_hash:
            raise _corrupt(MSG_CORRUPT, attachment, case_no, seq)
        root.update(digest.digest())
        size += len(piece)
        if seq == attachment.chunks - 1 and (
            size != attachment.size or root.hexdigest() != attachment.chunk_root
        ):
            raise _corrupt(MSG_INCOMPLETE, attachment, case_no, seq)
        yield piece
        del piece
    if attachment.chunks == 0 and attachment.size:
        raise _corrupt(MSG_INCOMPLETE, attachment, case_no, 0)


def _fetch(attachment: Attachment, case_no: str, seq: int) -> tuple[str, bytes]:
    # One plain statement per chunk: building the query with peewee each time cost as much
    # as reading a chunk from SQLite's cache.
    database = AttachmentChunk._meta.database
    cursor = database.execute_sql(_CHUNK_SQL.replace("?", database.param), (attachment.id, seq))
    row = cursor.fetchone()
    if row is None:
        raise _corrupt(MSG_INCOMPLETE, attachment, case_no, seq)
    stored_hash, data = row
    return str(stored_hash), bytes(data)  # PostgreSQL hands bytea back as a memoryview


_CHUNK_SQL = "SELECT sha256, data FROM attachment_chunk WHERE attachment_id = ? AND seq = ?"


def _corrupt(message: str, attachment: Attachment, case_no: str, seq: int) -> CorruptAttachment:
    log.error(
        "attachment %s (%s) of case %s: chunk %s does not match its SHA-256",
        attachment.id,
        attachment.name,
        case_no,
        seq,
    )
    return CorruptAttachment(message, name=attachment.name, case_no=case_no, chunk=seq + 1)


def copy_to(
    attachment: Attachment, case_no: str, out: IO[bytes], progress: Progress | None = None
) -> int:
    """Write the checked content of ``attachment`` to ``out``; returns the bytes written."""
    done = 0
    for piece in read(attachment, case_no):
        out.write(piece)
        done += len(piece)
        if progress is not None:
            progress(done)
    return done


def delete(attachment_id: int) -> None:
    AttachmentChunk.delete().where(AttachmentChunk.attachment == attachment_id).execute()


def stored_chunks(attachment_id: int) -> int:
    return len(
        list(
            tuples(
                AttachmentChunk.select(AttachmentChunk.seq).where(
                    AttachmentChunk.attachment == attachment_id
                )
            )
        )
    )
