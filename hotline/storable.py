"""Text no database can store: control characters and lone surrogates.

Kept apart from :mod:`hotline.validation` (credit codes and phone numbers), whose libraries
take tens of milliseconds to import: the sign-in path needs only this.
"""

from __future__ import annotations

import re

from hotline.errors import Problems
from hotline.i18n import N_

MSG_CONTROL = N_("含有不能保存的控制字符（如 NUL），请删除后再试")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    """Control characters other than tab and line breaks: PostgreSQL cannot store NUL, and
    none of them belongs in a case. Lone surrogates (``"\\ud800"`` in a JSON file) count too:
    they are not characters at all, and no database can store them."""
    return bool(_CONTROL.search(text))


# Characters that show nothing: every kind of space and line break (U+00A0, U+3000 ...),
# Unicode's default-ignorable code points (zero-width space, joiners, U+2060 word joiner,
# U+FEFF, bidi marks, soft hyphen, variation selectors, tags; DerivedCoreProperties.txt) and
# the "filler" letters fonts draw as blanks. Not every format character (category Cf) is
# invisible: the Arabic number sign U+0600 or the end of ayah U+06DD are drawn, and count as
# text. Control characters other than whitespace are not invisible here: they are refused
# (MSG_CONTROL).
_FILLERS = frozenset("\u2800")  # braille blank; the Hangul fillers are default-ignorable
_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Kept at the ends of a text although invisible alone: a soft hyphen is a hyphen the user put
# there (Excel, Word and Windows draw it as one), part of their text wherever it stands.
_SOFT_HYPHEN = "\u00ad"


def _variation(char: str) -> bool:
    """A variation selector (also Mongolian's): invisible alone, but part of the character
    before it (an emoji's style), so it is never cut off the end of a text."""
    return (
        "\ufe00" <= char <= "\ufe0f"
        or "\U000e0100" <= char <= "\U000e01ef"
        or "\u180b" <= char <= "\u180d"
        or char == "\u180f"
    )


def _ignorable(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _IGNORABLE)


def _invisible(char: str) -> bool:
    return char.isspace() or char in _FILLERS or _ignorable(char)


def _trimmed(char: str) -> bool:
    """Cut off the ends of a text: invisible, and not part of what the user wrote."""
    return _invisible(char) and not _variation(char) and char != _SOFT_HYPHEN


def is_blank(text: str | None) -> bool:
    """Whether ``text`` shows nothing at all: a required field holding only this is empty."""
    return not text or all(_invisible(char) for char in text)


def visible_text(value: object) -> str:
    """``value`` as text without the invisible characters around it (see :func:`is_blank`);
    "" when nothing visible is left. Characters inside the text are kept as typed, and so are
    a soft hyphen and a variation selector at its ends (they belong to the text)."""
    text = "" if value is None else str(value)
    if is_blank(text):
        return ""
    start, end = 0, len(text)
    while _trimmed(text[start]):
        start += 1
    while _trimmed(text[end - 1]):
        end -= 1
    return text[start:end]


def required_text(problems: Problems, field: str, text: str, missing: str, limit: int) -> str:
    """``text`` as it is stored (:func:`visible_text`), its problem added to ``problems``:
    ``missing`` when there is none, control characters, or more than ``limit`` characters."""
    value = visible_text(text)
    if not value:
        problems.add(field, missing)
    elif has_control_characters(value):
        problems.add(field, MSG_CONTROL)
    else:
        problems.too_long(field, value, limit)
    return value
