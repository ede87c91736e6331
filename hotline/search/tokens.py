"""Turning text into the bigram tokens the index stores and queries ask for.

Text is normalised (NFKC, lower case) and split into runs of letters and digits. A run
``c1 c2 … cn`` yields the bigrams ``c1c2 … c(n-1)cn`` and the lone last character ``cn``, so
every character starts exactly one token: a one-character query is a prefix query, a
two-character query is one token, a longer one needs all its bigrams.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_RUN = re.compile(r"[^\W_]+")


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
    parts: list[str] = []
    extend, append = parts.extend, parts.append
    for text in texts:
        if not text:
            continue
        for run in runs(text):
            extend(map(operator.add, run, run[1:]))
            append(run[-1])
    return " ".join(parts)


@dataclass(frozen=True)
class Term:
    """One whitespace-separated word of a query."""

    text: str  # normalised
    match: str  # FTS5 expression, empty when the term has no letters or digits
    exact: bool  # the index alone decides it, no check against the text needed


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
        terms.append(Term(word, " AND ".join(dict.fromkeys(parts)), exact))
    return terms
