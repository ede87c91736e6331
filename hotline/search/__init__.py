"""Full-text search over cases, enterprises and notes, correct for Chinese text of any length.

Text is indexed as overlapping character bigrams (``tokens``) in contentless SQLite FTS5
tables (``index``); a query finds candidates by its bigrams and, where bigrams alone could
match text that does not contain the query, checks each candidate against the real text
(``query``).
"""

from hotline.search.query import SearchPage, search, suggest_enterprises

__all__ = ["SearchPage", "search", "suggest_enterprises"]
