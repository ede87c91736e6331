"""Invented names, numbers and texts for the demo generator, from :mod:`hotline.demo.data`.

Every function draws from one ``random.Random`` so a seed gives the same data again. Credit
codes carry correct check digits (the organisation code's and the whole code's), phone numbers
are valid Chinese mobiles or Hebi landlines, and descriptions are 60 to 300 characters.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

from stdnum.cn import uscc as stdnum_uscc

from hotline.demo import data

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
]
DESCRIPTION_MIN, DESCRIPTION_MAX = 60, 300


_T = TypeVar("_T")


class DemoRandom(random.Random):
    """``random.Random`` whose choice, randrange and randint take one float draw each.

    About three times faster than the exact (rejection-sampling) versions; the bias, under
    one in a billion for our ranges, does not matter for sample data.
    """

    def choice(self, seq: SupportsLenAndGetItem[_T]) -> _T:
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def sample(self, population: Sequence[Any], k: int, *, counts: Any = None) -> list[Any]:
        """``k`` different items (a partial shuffle, one float draw each)."""
        pool = list(population)
        size = len(pool)
        for i in range(k):
            j = i + int(self.random() * (size - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


class Weighted:
    """Draw from a {value: weight} mapping quickly, many times."""

    def __init__(self, weights: Mapping[Any, float] | Sequence[tuple[Any, float]]) -> None:
        pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(itertools.accumulate(weight for _value, weight in pairs))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


def org_code_check(first8: str) -> str:
    """The check character of a 9-character organisation code (GB 11714)."""
    total = sum(
        ORG_CODE_CHARS.index(ch) * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


@dataclass
class DemoEnterprise:
    name: str
    uscc: str | None
    district: str
    industry: str
    product: str
    contacts: list[tuple[str, str]] = field(default_factory=list)


class Slots(dict[str, str]):
    """Template values drawn on first use, then kept for the rest of one case's texts."""

    def __init__(self, rng: random.Random, **fixed: str) -> None:
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = self.rng.choice(data.SLOT_VALUES[key])
        self[key] = value
        return value


class TextMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.place = Weighted(data.PLACE_PREFIXES)
        self.form = Weighted(data.COMPANY_FORMS)
        self._used_names: set[str] = set()
        self._used_codes: set[str] = set()
        self._topics = {c: _by_tone(topics) for c, topics in data.TOPICS.items()}

    def reserve(self, names: set[str], codes: set[str]) -> None:
        """Never make these names or credit codes (enterprises already on file)."""
        self._used_names |= names
        self._used_codes |= codes

    # --- people -------------------------------------------------------------------------

    def person_name(self) -> str:
        rng = self.rng
        roll = rng.random()
        surname = rng.choice(data.COMPOUND_SURNAMES) if roll < 0.01 else rng.choice(data.SURNAMES)
        given = rng.choice(data.GIVEN_CHARS)
        if rng.random() < 0.7:
            given += rng.choice(data.GIVEN_CHARS)
        return surname + given

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def landline(self) -> str:
        return f"0392-{self.rng.randint(2, 8)}{self.rng.randrange(10**6):06d}"

    def phone(self) -> str:
        return self.landline() if self.rng.random() < 0.2 else self.mobile()

    # --- enterprises --------------------------------------------------------------------

    def uscc(self, division: str, individual: bool) -> str:
        """A new, valid 统一社会信用代码 registered in ``division``."""
        rng = self.rng
        while True:
            if individual or rng.random() < 0.6:
                body = "MA" + "".join(rng.choices(ORG_CODE_CHARS[:10] + "ABCDEFGHJK", k=6))
            else:
                body = "".join(rng.choices(ORG_CODE_CHARS[:10], k=8))
            org = body + org_code_check(body)
            stem = ("92" if individual else "91") + division + org
            code = stem + stdnum_uscc.calc_check_digit(stem)
            if code not in self._used_codes:
                self._used_codes.add(code)
                return code

    def trade_name(self) -> str:
        return "".join(self.rng.sample(data.TRADE_CHARS, 2))

    def enterprise(self, district: str, district_name: str) -> DemoEnterprise:
        rng = self.rng
        for _attempt in range(50):
            if rng.random() < 0.12:
                shop, industry, product = rng.choice(data.SHOP_KINDS)
                place = data.SHOP_PLACES.get(district, "")
                name = f"{place}{self.trade_name()}{shop}"
                individual = True
            else:
                part, industry, product = rng.choice(data.INDUSTRIES)
                county = data.COUNTY_PREFIXES.get(district)
                place = county if county and rng.random() < 0.5 else self.place.draw(rng)
                name = f"{place}{self.trade_name()}{part}{self.form.draw(rng)}"
                individual = False
            if name not in self._used_names:
                break
        self._used_names.add(name)
        division = district if rng.random() < 0.8 else "410600"
        code = self.uscc(division, individual) if rng.random() < 0.95 else None
        contacts = [(self.person_name(), self.phone()) for _ in range(rng.randint(1, 3))]
        return DemoEnterprise(name, code, district, industry, product, contacts)

    # --- texts --------------------------------------------------------------------------

    def slots(self, enterprise: DemoEnterprise, district_name: str) -> Slots:
        roads = data.ROADS.get(enterprise.district) or ("",)
        return Slots(
            self.rng,
            district=district_name,
            road=self.rng.choice(roads),
            product=enterprise.product,
        )

    def pick(self, options: Sequence[str], slots: Slots) -> str:
        return self.rng.choice(options).format_map(slots)

    def topic(self, kind: str, category: str) -> data.Topic:
        """What the case is about: a topic of its category in the tone of its kind."""
        if kind == "praise":
            return data.PRAISE
        return self.rng.choice(self._topics[category][TONES.get(kind, "problem")])

    def description(self, topic: data.Topic, slots: Slots) -> str:
        """Opening, the problem, details until a drawn length, and a closing."""
        rng = self.rng
        target = rng.randint(DESCRIPTION_MIN + 20, DESCRIPTION_MAX - 40)
        parts = [self.pick(data.OPENINGS, slots), self.pick(topic.problems, slots)]
        length = len(parts[0]) + len(parts[1])
        details = data.DETAILS[topic.tone]
        for detail in rng.sample(details, min(4, len(details))):
            if length >= target:
                break
            text = detail.format_map(slots)
            parts.append(text)
            length += len(text)
        closing = rng.choice(data.CLOSINGS[topic.tone])
        if length + len(closing) <= DESCRIPTION_MAX:
            parts.append(closing)
        text = "".join(parts)
        if len(text) > DESCRIPTION_MAX:
            text = text[: text.rfind("。", 0, DESCRIPTION_MAX) + 1] or text[:DESCRIPTION_MAX]
        while len(text) < DESCRIPTION_MIN:
            text += self.pick(details, slots)
        return text[:DESCRIPTION_MAX]


TONES = {"consultation": "question", "suggestion": "suggestion"}


def _by_tone(topics: Sequence[data.Topic]) -> dict[str, list[data.Topic]]:
    """Topics split by tone; a tone the category has no topic of uses its problems."""
    problems = [t for t in topics if t.tone == "problem"] or list(topics)
    return {
        tone: [t for t in topics if t.tone == tone] or problems
        for tone in ("problem", "question", "suggestion")
    }
