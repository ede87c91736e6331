"""Text no database can store: control characters and lone surrogates.

Kept apart from :mod:`hotline.validation` (credit codes and phone numbers), whose libraries
take tens of milliseconds to import: the sign-in path needs only this.
"""

from __future__ import annotations

import re
import unicodedata

from hotline.i18n import N_

MSG_CONTROL = N_("含有不能保存的控制字符（如 NUL），请删除后再试")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    """Control characters other than tab and line breaks: PostgreSQL cannot store NUL, and
    none of them belongs in a case. Lone surrogates (``"\\ud800"`` in a JSON file) count too:
    they are not characters at all, and no database can store them."""
    return bool(_CONTROL.search(text))


# Characters that show nothing: Unicode's format characters (category Cf: zero-width space,
# joiners, U+2060 word joiner, U+FEFF, bidi marks, soft hyphen, tags), every kind of space and
# line break (U+00A0, U+3000 ...) and the "filler" letters fonts draw as blanks. Control
# characters other than whitespace are not invisible here: they are refused (MSG_CONTROL).
_FILLERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp"})


def _variation(char: str) -> bool:
    """A variation selector: invisible alone, but part of the character before it (an
    emoji's style), so it is never cut off the end of a text."""
    return "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef"


def _invisible(char: str) -> bool:
    return (
        char.isspace()
        or char in _FILLERS
        or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        or _variation(char)
    )


def is_blank(text: str | None) -> bool:
    """Whether ``text`` shows nothing at all: a required field holding only this is empty."""
    return not text or all(_invisible(char) for char in text)


def visible_text(value: object) -> str:
    """``value`` as text without the invisible characters around it (see :func:`is_blank`);
    "" when nothing visible is left. Characters inside the text are kept as typed."""
    text = "" if value is None else str(value)
    if is_blank(text):
        return ""
    start, end = 0, len(text)
    while _invisible(text[start]) and not _variation(text[start]):
        start += 1
    while _invisible(text[end - 1]) and not _variation(text[end - 1]):
        end -= 1
    return text[start:end]
