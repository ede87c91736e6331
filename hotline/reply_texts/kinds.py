"""The text fields a reply text is offered in."""

from __future__ import annotations

from hotline.enums import LabelledEnum
from hotline.i18n import N_


class TextKind(LabelledEnum):
    REPLY = "reply"  # a reply to the enterprise, an answer on the spot, a supervision answer
    CALLBACK = "callback"  # the callback's comment
    NOTE = "note"  # a note on the timeline
    RETURN = "return"  # a department's reason for returning a case
    SUPERVISION = "supervision"  # a supervision notice's text

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _KIND


_KIND = {
    "reply": N_("答复"),
    "callback": N_("回访"),
    "note": N_("备注"),
    "return": N_("退回"),
    "supervision": N_("督办"),
}
