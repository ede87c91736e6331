"""How big attachments may be: per file and per case, set by the administrator.

Stored as JSON in the ``setting`` table under :data:`SETTING_KEY`; the defaults (20 MB a file,
200 MB a case) hold until an administrator saves other values. Sizes are in MB of 2**20 bytes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

from hotline import stored_settings
from hotline.errors import Problems
from hotline.i18n import N_
from hotline.permissions import Action, Actor

log = logging.getLogger(__name__)

SETTING_KEY = "attachment_limits"
MB = 1 << 20
FILE_MB_RANGE = (1, 100)
CASE_MB_RANGE = (1, 10_000)
MSG_RANGE = N_("应在 {low} 到 {high} 之间")
MSG_CASE_BELOW_FILE = N_("每个案件的上限不能小于单个文件的上限")


@dataclass(frozen=True)
class AttachmentLimits:
    file_mb: int = 20
    case_mb: int = 200

    @property
    def file_bytes(self) -> int:
        return self.file_mb * MB

    @property
    def case_bytes(self) -> int:
        return self.case_mb * MB

    def validate(self) -> None:
        problems = Problems()
        for name, (low, high) in (("file_mb", FILE_MB_RANGE), ("case_mb", CASE_MB_RANGE)):
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= high:
                problems.add(name, MSG_RANGE, low=low, high=high)
        if not problems and self.case_mb < self.file_mb:
            problems.add("case_mb", MSG_CASE_BELOW_FILE)
        problems.raise_if_any()


def load() -> AttachmentLimits:
    """The stored limits, or the defaults when none are stored (or they cannot be read)."""
    value = stored_settings.stored(SETTING_KEY)
    if value is None:
        return AttachmentLimits()
    try:
        data = json.loads(value)
        limits = AttachmentLimits(file_mb=int(data["file_mb"]), case_mb=int(data["case_mb"]))
        limits.validate()
    except Exception:
        log.error("stored attachment limits are invalid, using the defaults: %r", value)
        return AttachmentLimits()
    return limits


def update(actor: Actor, limits: AttachmentLimits) -> None:
    """Validate and store ``limits`` (administrators); later additions are held to them."""
    actor.require(Action.SETTINGS_MANAGE)
    limits.validate()
    before = asdict(load())
    value = json.dumps(asdict(limits))
    stored_settings.replace(
        actor,
        SETTING_KEY,
        value,
        action="attachment_limits.update",
        before=lambda: before,
        after=asdict(limits),
    )
    log.info("attachment limits saved: %s", value)
