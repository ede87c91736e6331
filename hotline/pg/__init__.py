"""What PostgreSQL needs beyond the shared code: the reconnecting connection, the search index
(GIN-indexed token arrays), and the schema and value helpers of ``migrate-to``.

The rest of the program reaches these only through :mod:`hotline.db`, the open database's
search index (:func:`hotline.search.index.backend`) and :mod:`hotline.migrate_to`.
"""
