"""Finding catalogue items by words and by pinyin initials, as an operator types them.

Every word of the query must match the item somewhere (the violation, keywords, area,
enforcement body, code, provisions or conditions). A Chinese word matches as a substring; a
Latin word also matches the pinyin of the item, by initials (``yyzz`` → 营业执照) or by full
syllables (``yingye``). Items are ranked by where the words matched: the code first, then
keywords and the violation, then area and body, then provisions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

TERM_SPLIT = re.compile(r"[\s,，、;；/|]+")
CJK = re.compile(r"[\u3400-\u9fff]")
ALNUM = re.compile(r"[0-9a-z]")

# weights of where a word matched
W_CODE_EXACT, W_CODE_PART = 100, 60
W_KEYWORD_EXACT, W_KEYWORD = 40, 30
W_VIOLATION = 30
W_AREA_BODY = 20
W_PINYIN_KEYWORD_EXACT, W_PINYIN_KEYWORD, W_PINYIN_VIOLATION, W_PINYIN_OTHER = 30, 20, 15, 8
W_OTHER_TEXT = 5


def normalize(text: str) -> str:
    """Full-width forms folded (ＳＷ → SW), lower case, surrounding spaces removed."""
    return unicodedata.normalize("NFKC", text).lower().strip()


@dataclass(frozen=True)
class Pinyin:
    initials: str  # 营业执照 -> "yyzz"; other letters and digits kept, punctuation dropped
    full: str  # 营业执照 -> "yingyezhizhao"


def pinyin_of(text: str) -> Pinyin:
    from pypinyin import Style, lazy_pinyin

    normal = normalize(text)
    letters = lazy_pinyin(normal, style=Style.FIRST_LETTER, errors="default")
    syllables = lazy_pinyin(normal, style=Style.NORMAL, errors="default")
    return Pinyin(_letters(letters), _letters(syllables))


def _letters(parts: Iterable[str]) -> str:
    return "".join(ALNUM.findall("".join(parts).lower()))


@dataclass(frozen=True)
class SearchIndex:
    """What a query is compared with, computed once per item."""

    code: str
    code_compact: str
    keywords: tuple[str, ...]
    violation: str
    area_body: tuple[str, ...]
    other: tuple[str, ...]
    keyword_pinyin: tuple[Pinyin, ...]
    violation_pinyin: Pinyin
    other_pinyin: tuple[Pinyin, ...]


class Indexed(Protocol):
    """What can be searched: a catalogue item (:class:`hotline.exemption.items.CatalogueItem`)
    keeps its index from :func:`build_index`."""

    @property
    def search_index(self) -> SearchIndex: ...


ItemT = TypeVar("ItemT", bound=Indexed)


def build_index(
    code: str,
    keywords: Sequence[str],
    violation: str,
    area: str,
    body: str,
    other: Sequence[str],
) -> SearchIndex:
    """The index of an item: its code, keywords, violation, area and body, and ``other`` text
    (provisions, conditions) that matches only as words."""
    normalized_code = normalize(code)
    return SearchIndex(
        code=normalized_code,
        code_compact=normalized_code.replace("-", ""),
        keywords=tuple(normalize(k) for k in keywords),
        violation=normalize(violation),
        area_body=(normalize(area), normalize(body)),
        other=tuple(normalize(text) for text in other),
        keyword_pinyin=tuple(pinyin_of(k) for k in keywords),
        violation_pinyin=pinyin_of(violation),
        other_pinyin=(pinyin_of(area), pinyin_of(body)),
    )


def terms_of(text: str | None) -> list[str]:
    if not text:
        return []
    return [term for term in TERM_SPLIT.split(normalize(text)) if term]


def _pinyin_score(term: str, index: SearchIndex) -> int:
    score = 0
    for pinyin in index.keyword_pinyin:
        if term == pinyin.initials:
            score = max(score, W_PINYIN_KEYWORD_EXACT)
        elif term in pinyin.initials or (len(term) > 1 and term in pinyin.full):
            score = max(score, W_PINYIN_KEYWORD)
    pinyin = index.violation_pinyin
    if term in pinyin.initials or (len(term) > 1 and term in pinyin.full):
        score = max(score, W_PINYIN_VIOLATION)
    for pinyin in index.other_pinyin:
        if term in pinyin.initials or (len(term) > 1 and term in pinyin.full):
            score = max(score, W_PINYIN_OTHER)
    return score


def term_score(term: str, index: SearchIndex) -> int:
    """How well one query word matches an item; 0 when it does not match at all."""
    score = 0
    compact = term.replace("-", "")
    if term == index.code or (compact and compact == index.code_compact):
        score = W_CODE_EXACT
    elif len(compact) > 1 and (index.code.startswith(term) or compact in index.code_compact):
        score = W_CODE_PART
    if term in index.keywords:
        score = max(score, W_KEYWORD_EXACT)
    elif any(term in keyword for keyword in index.keywords):
        score = max(score, W_KEYWORD)
    if term in index.violation:
        score = max(score, W_VIOLATION)
    if any(term in text for text in index.area_body):
        score = max(score, W_AREA_BODY)
    if not CJK.search(term) and ALNUM.search(term):
        score = max(score, _pinyin_score(term, index))
    if not score and any(term in text for text in index.other):
        score = W_OTHER_TEXT
    return score


def score(item: Indexed, terms: Sequence[str]) -> int:
    """The sum of the words' scores, or 0 when any word does not match."""
    total = 0
    for term in terms:
        matched = term_score(term, item.search_index)
        if not matched:
            return 0
        total += matched
    return total


def find(items: Iterable[ItemT], text: str | None) -> list[ItemT]:
    """The items matching every word of ``text``, best first; all of them for empty text.

    Equal scores keep the catalogue order.
    """
    listed = list(items)
    terms = terms_of(text)
    if not terms:
        return listed
    scored = [(score(item, terms), position, item) for position, item in enumerate(listed)]
    return [item for points, _, item in sorted(scored, key=lambda s: (-s[0], s[1])) if points]
