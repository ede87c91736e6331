"""The editors' synonym groups: words callers use for the same thing (社保，社会保险，五险).

A group is a line of words separated by "，", "," or "、". When a query holds one of a group's
words, the search also counts the other words of the group (at a lower weight). The whole list
is replaced at once by an editor, audited with what it was and what it became.
"""

from __future__ import annotations

import re

from hotline import audit, clock
from hotline.db import write_transaction
from hotline.errors import Problems
from hotline.i18n import N_
from hotline.knowledge.schema import KnowledgeSynonym
from hotline.models import tuples
from hotline.permissions import Action, Actor
from hotline.search.tokens import normalize
from hotline.storable import MSG_CONTROL, has_control_characters

_SPLIT = re.compile(r"[，,、;；\s]+")
WORD_LIMIT = 20
GROUP_LIMIT = 30
MSG_ONE_WORD = N_("第 {line} 行只有一个词：同义词组至少要两个词")
MSG_WORD_LONG = N_("第 {line} 行的“{word}”超过 {limit} 个字符")
MSG_GROUP_LONG = N_("第 {line} 行超过 {limit} 个词")


def parse_groups(text: str) -> list[tuple[str, ...]]:
    """Groups from an editor's text (one group a line), or every problem at once."""
    problems = Problems()
    groups: list[tuple[str, ...]] = []
    for number, line in enumerate((text or "").splitlines(), 1):
        words = tuple(dict.fromkeys(w for w in _SPLIT.split(line.strip()) if w))
        if not words:
            continue
        if any(has_control_characters(w) for w in words):
            problems.add("synonyms", MSG_CONTROL)
            continue
        if len(words) < 2:
            problems.add("synonyms", MSG_ONE_WORD, line=number)
        elif len(words) > GROUP_LIMIT:
            problems.add("synonyms", MSG_GROUP_LONG, line=number, limit=GROUP_LIMIT)
        for word in words:
            if len(word) > WORD_LIMIT:
                problems.add("synonyms", MSG_WORD_LONG, line=number, word=word, limit=WORD_LIMIT)
        groups.append(words)
    problems.raise_if_any()
    return groups


def groups() -> list[tuple[str, ...]]:
    return [
        tuple(w for w in str(words).split("，") if w)
        for (words,) in tuples(
            KnowledgeSynonym.select(KnowledgeSynonym.words).order_by(KnowledgeSynonym.id)
        )
    ]


def as_text() -> str:
    return "\n".join("，".join(group) for group in groups())


def replace_all(actor: Actor, text: str) -> int:
    """Replace every group with those of ``text``; returns how many there are now."""
    actor.require(Action.KNOWLEDGE_EDIT)
    new = parse_groups(text)
    with write_transaction():
        before = groups()
        KnowledgeSynonym.delete().execute()
        now = clock.now()
        for group in new:
            KnowledgeSynonym.create(
                words="，".join(group), updated_at=now, updated_by_name=actor.name[:40]
            )
        audit.record(
            actor,
            "knowledge.synonyms",
            "knowledge",
            "",
            {"before": len(before), "after": len(new), "groups": ["，".join(g) for g in new][:200]},
        )
    return len(new)


def expansions(normalized_query: str) -> list[str]:
    """The other words of every group one of whose words the query holds."""
    found: list[str] = []
    for group in groups():
        words = [normalize(w) for w in group]
        if any(w and w in normalized_query for w in words):
            found.extend(w for w in words if w not in normalized_query)
    return found
