"""Hiding a confidential caller's contact details: 138****1234, 张**.

Lists, exports and PDFs show a confidential case's contact through these helpers; only the
detail view of authorised roles shows the real values.
"""

from __future__ import annotations

import re

MASK = "*"

# Two-character surnames (复姓) that are common enough to keep whole.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "令狐",
        "夏侯",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "万俟",
        "单于",
        "闻人",
        "澹台",
        "公冶",
        "太史",
        "申屠",
        "钟离",
        "濮阳",
        "左丘",
    ]
)


def mask_phone(phone: str | None) -> str:
    """``13812341234`` -> ``138****1234``: keep the first 3 and last 4 digits.

    Separators and a leading ``+`` stay where they are; a number of 7 digits or fewer keeps
    only its last 2 digits. Empty input gives an empty string.
    """
    if not phone:
        return ""
    text = phone.strip()
    digits = sum(ch.isdigit() for ch in text)
    if digits == 0:
        return MASK * min(len(text), 4)
    keep_head, keep_tail = (3, 4) if digits > 7 else (0, 2)
    if digits == 13 and text.lstrip("+ ").startswith("86"):
        keep_head += 2  # the country code is not part of the number
    out: list[str] = []
    seen = 0
    for ch in text:
        if ch.isdigit():
            seen += 1
            if seen <= keep_head or seen > digits - keep_tail:
                out.append(ch)
            else:
                out.append(MASK)
        else:
            out.append(ch)
    return "".join(out)


def surname(name: str) -> str:
    """The surname of a Chinese name (compound surnames kept whole), or the first letter of
    a Latin name."""
    text = name.strip()
    if not text:
        return ""
    if text[:2] in COMPOUND_SURNAMES and len(text) > 2:
        return text[:2]
    return text[0]


def mask_name(name: str | None) -> str:
    """``张三丰`` -> ``张**``: the surname, then one mask per remaining character.

    A one-character name becomes ``*``; a Latin name keeps its first letter (``J***``).
    """
    if not name:
        return ""
    text = name.strip()
    if len(text) <= 1:
        return MASK if text else ""
    head = surname(text)
    rest = len(text) - len(head)
    if text.isascii():
        rest = 3
    return head + MASK * max(rest, 1)


def scrub(text: str, *, name: str | None = None, phone: str | None = None) -> str:
    """``text`` with every occurrence of the full ``phone`` and ``name`` masked.

    Used on free text (timeline notes, replies) of a confidential case, where an operator may
    have repeated the number.
    """
    if not text:
        return text
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if len(digits) >= 5:
        # The number however it was typed: 13812341234, 138 1234 1234, 138-1234-1234.
        pattern = r"(?<!\d)" + r"[\s\-]*".join(digits) + r"(?!\d)"
        text = re.sub(pattern, lambda match: mask_phone(match.group(0)), text)
    if name and len(name.strip()) >= 2:
        text = text.replace(name.strip(), mask_name(name))
    return text
