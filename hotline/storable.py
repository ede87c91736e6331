"""Text no database can store: control characters and lone surrogates.

Kept apart from :mod:`hotline.validation` (credit codes and phone numbers), whose libraries
take tens of milliseconds to import: the sign-in path needs only this.
"""

from __future__ import annotations

import re

from hotline.i18n import N_

MSG_CONTROL = N_("含有不能保存的控制字符（如 NUL），请删除后再试")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    """Control characters other than tab and line breaks: PostgreSQL cannot store NUL, and
    none of them belongs in a case. Lone surrogates (``"\\ud800"`` in a JSON file) count too:
    they are not characters at all, and no database can store them."""
    return bool(_CONTROL.search(text))
