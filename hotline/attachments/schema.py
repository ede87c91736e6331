"""The attachments' tables and the migration that creates them.

``Attachment`` is one document on a case: its name as the user gave it, its size, the type its
content was recognised as, its SHA-256, who added it and when. Removing an attachment keeps
the row as a tombstone (who removed it, when and why; the hash stays) and deletes its chunks.
``AttachmentChunk`` holds the content in pieces of :data:`CHUNK_SIZE` bytes (BLOB on SQLite,
bytea on PostgreSQL), each with its own SHA-256, so that a file is written and read one piece
at a time and a damaged piece is found before any of its bytes is handed out; the
attachment's ``chunk_root`` (the SHA-256 of the chunks' digests in order) ties the pieces to
the file whose SHA-256 it keeps.

Migration 13 creates both tables on SQLite and PostgreSQL alike (``safe``: idempotent).
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    BlobField,
    CharField,
    Database,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from hotline.models import BaseModel, Case, User

SCHEMA_VERSION = 13
CHUNK_SIZE = 256 * 1024


class Attachment(BaseModel):
    id = AutoField()
    case = ForeignKeyField(Case, backref="attachments", on_delete="CASCADE")
    case_id: int
    name = CharField(max_length=200)
    size = BigIntegerField()
    content_type = CharField(max_length=8)  # a code of hotline.attachments.content_types
    sha256 = CharField(max_length=64)
    chunks = IntegerField()
    chunk_root = CharField(max_length=64)  # SHA-256 of the chunks' digests (chunks.py)
    added_by = ForeignKeyField(User, null=True, backref="attachments_added")
    added_by_id: int | None
    added_by_name = CharField(max_length=40)
    added_at = DateTimeField()
    removed_at = DateTimeField(null=True)
    removed_by_name = CharField(max_length=40, null=True)
    removed_reason = TextField(null=True)

    class Meta:
        table_name = "attachment"
        indexes = ((("case", "id"), False),)


class AttachmentChunk(BaseModel):
    id = AutoField()
    attachment = ForeignKeyField(Attachment, backref="stored_chunks", on_delete="CASCADE")
    attachment_id: int
    seq = IntegerField()
    sha256 = CharField(max_length=64)
    data = BlobField()

    class Meta:
        table_name = "attachment_chunk"
        indexes = ((("attachment", "seq"), True),)


MODELS: list[type[BaseModel]] = [Attachment, AttachmentChunk]
TABLES = ("attachment", "attachment_chunk")


def create_tables(db: Database) -> None:
    """Migration 13 (listed in :data:`hotline.migrations.MIGRATIONS`)."""
    db.create_tables(MODELS, safe=True)
