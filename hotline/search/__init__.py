"""Full-text search over cases, enterprises and notes, correct for Chinese text of any length.

Text is indexed as overlapping character bigrams (``tokens``) of the texts ``documents`` reads;
``index.backend()`` is the open database's index (``backend`` says what one does: FTS5 tables
in ``sqlite_backend``, token arrays in :mod:`hotline.pg.search`), which ``index`` keeps in
step with every change. A query finds candidates there and, where tokens alone could match
text that does not contain the query, checks each against the real text (``query``).
"""

from hotline.search.query import SearchPage, search, suggest_enterprises

__all__ = ["SearchPage", "search", "suggest_enterprises"]
