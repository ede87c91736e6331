"""An article's status: a draft, published (suggested and used), retired (kept for history)."""

from __future__ import annotations

from hotline.enums import LabelledEnum
from hotline.i18n import N_


class Status(LabelledEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _STATUS


_STATUS = {"draft": N_("草稿"), "published": N_("已发布"), "retired": N_("已停用")}
