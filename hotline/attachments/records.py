"""Attachments as the windows and reports see them: plain frozen data, no database row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hotline.attachments import content_types
from hotline.attachments.schema import Attachment
from hotline.attachments.sizes import file_size

SHORT_HASH = 12
__all__ = ["AttachmentInfo", "file_size"]


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    case_id: int
    name: str
    size: int
    content_type: str
    sha256: str
    added_by: str
    added_at: dt.datetime
    removed_at: dt.datetime | None = None
    removed_by: str = ""
    removed_reason: str = ""
    may_open: bool = True  # False: the case is confidential and the role may not see it

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    @property
    def short_hash(self) -> str:
        return self.sha256[:SHORT_HASH]

    @property
    def type_label(self) -> str:
        return content_types.label(self.content_type)

    @property
    def is_image(self) -> bool:
        return self.content_type in content_types.IMAGES

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "pdf"

    @classmethod
    def of(
        cls, row: Attachment, *, name: str | None = None, may_open: bool = True
    ) -> AttachmentInfo:
        from hotline.permissions import shown_name

        return cls(
            id=row.id,
            case_id=row.case_id,
            name=row.name if name is None else name,
            size=int(row.size),
            content_type=row.content_type,
            sha256=row.sha256,
            added_by=shown_name(row.added_by_name),
            added_at=row.added_at,
            removed_at=row.removed_at,
            removed_by=shown_name(row.removed_by_name or ""),
            removed_reason=row.removed_reason or "",
            may_open=may_open,
        )


@dataclass(frozen=True)
class CaseAttachments:
    """What the case window's 附件 tab shows: the documents and what the user may do."""

    case_id: int
    case_no: str
    items: list[AttachmentInfo]
    used_bytes: int
    file_limit_mb: int
    case_limit_mb: int
    may_add: bool
    may_remove: bool
    confidential_hidden: bool  # confidential case, role may not open its documents
