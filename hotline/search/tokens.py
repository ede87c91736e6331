"""Turning text into the bigram tokens the index stores and queries ask for.

Text is normalised (NFKC, lower case) and split into runs of letters and digits. A run
``c1 c2 … cn`` yields the bigrams ``c1c2 … c(n-1)cn`` and the lone last character ``cn``, so
every character starts exactly one token: a one-character query is a prefix query, a
two-character query is one token, a longer one needs all its bigrams.

Codes (credit codes, phone numbers, case numbers) are runs of ASCII letters and digits whose
bigrams are in almost every case, so an AND of them is slow and loose. A second, smaller
index holds the overlapping 4-grams of every such run of four or more characters that holds a
digit (:func:`code_tokens`): a query's code of that length asks for a few of its 4-grams
(:attr:`Term.code`), which are rare.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_RUN = re.compile(r"[^\W_]+")
CODE_GRAM = 4
_CODE_RUN = re.compile(rf"[0-9a-z]{{{CODE_GRAM},}}")
_DIGIT = re.compile(r"[0-9]")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[str]:
    r"""Maximal runs of letters and digits of normalised ``text``.

    ``[^\W_]`` matches exactly the characters ``str.isalnum`` accepts (checked over every
    code point), and the regular expression is several times faster than a Python loop.
    """
    return _RUN.findall(normalize(text))


def document_tokens(texts: Iterable[str | None]) -> str:
    """The space-separated tokens of several texts, as stored in the index."""
    return documents(texts)[0]


def code_tokens(texts: Iterable[str | None]) -> str:
    """The space-separated 4-grams of the code runs of several texts, each once."""
    return documents(texts)[1]


def code_runs(normalized: str) -> list[str]:
    """The runs of ASCII letters and digits of at least CODE_GRAM characters with a digit."""
    return [run for run in _CODE_RUN.findall(normalized) if _DIGIT.search(run)]


def documents(texts: Iterable[str | None]) -> tuple[str, str]:
    """What one case puts in the bigram index and in the code index (normalising once)."""
    parts: list[str] = []
    extend, append = parts.extend, parts.append
    grams: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        normalized = normalize(text)
        for run in _RUN.findall(normalized):
            extend(map(operator.add, run, run[1:]))
            append(run[-1])
        for run in code_runs(normalized):
            grams.update((run[i : i + CODE_GRAM], None) for i in range(len(run) - CODE_GRAM + 1))
    return " ".join(parts), " ".join(grams)


def code_grams(word: str) -> list[str]:
    """The 4-grams that cover each code run of a normalised query word, each once."""
    grams: list[str] = []
    for run in code_runs(word):
        starts = list(range(0, len(run) - CODE_GRAM + 1, CODE_GRAM))
        if starts[-1] != len(run) - CODE_GRAM:
            starts.append(len(run) - CODE_GRAM)
        grams.extend(run[i : i + CODE_GRAM] for i in starts)
    return list(dict.fromkeys(grams))


def _code_match(word: str) -> str:
    """FTS5 expression over the code index for ``word``'s code runs."""
    return " AND ".join(f'"{gram}"' for gram in code_grams(word))


@dataclass(frozen=True)
class Term:
    """One whitespace-separated word of a query."""

    text: str  # normalised
    match: str  # FTS5 expression, empty when the term has no letters or digits
    exact: bool  # the index alone decides it, no check against the text needed
    code: str = ""  # FTS5 expression over the code index, empty when the word has no code
    code_exact: bool = False  # the code index alone decides it (the word is one 4-char code)
    code_only: bool = False  # every letter and digit of the word is in one of its codes


def parse_query(query: str) -> list[Term]:
    terms: list[Term] = []
    for word in normalize(query).split():
        parts: list[str] = []
        word_runs = runs(word)
        for run in word_runs:
            if len(run) == 1:
                parts.append(f'"{run}"*')
            else:
                parts.extend(f'"{run[i : i + 2]}"' for i in range(len(run) - 1))
        exact = len(word_runs) == 1 and word_runs[0] == word and len(word) <= 2
        code = _code_match(word)
        code_exact = bool(code) and len(word) == CODE_GRAM and code_runs(word) == [word]
        code_only = bool(code) and code_runs(word) == word_runs
        terms.append(
            Term(word, " AND ".join(dict.fromkeys(parts)), exact, code, code_exact, code_only)
        )
    return terms
