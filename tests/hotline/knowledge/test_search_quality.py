"""Search quality on the demo knowledge base: callers' own words find the right article.

The phrasings (tests/hotline/knowledge/phrasings.py) were written for this test, not copied
from the titles. Goal: at least 90% of them have their article in the top 3 suggestions.
"""

from __future__ import annotations

from hotline.demo import knowledge
from hotline.knowledge import search
from hotline.knowledge.schema import KnowledgeArticle
from hotline.knowledge.status import Status
from tests.hotline.desk import OPERATOR
from tests.hotline.knowledge.phrasings import PHRASINGS

GOAL = 0.90


def test_caller_phrasings_find_their_article_in_the_top_3(database, record_property) -> None:
    assert knowledge.write_articles() > 200
    titles = {row.title: row for row in KnowledgeArticle.select()}
    assert len(PHRASINGS) >= 50
    missed = []
    for phrasing, title in PHRASINGS:
        assert title in titles, title
        assert titles[title].status == Status.PUBLISHED.value, title
        top = [hit.title for hit in search.suggest(OPERATOR, "", phrasing, limit=3)]
        if title not in top:
            missed.append((phrasing, title, top))
    rate = 1 - len(missed) / len(PHRASINGS)
    record_property("top3_hit_rate", round(rate, 3))
    print(f"\nknowledge search: {rate:.1%} of {len(PHRASINGS)} phrasings in the top 3")
    for phrasing, title, top in missed:
        print(f"  missed: {phrasing} -> {title}; got {top}")
    assert rate >= GOAL, missed
