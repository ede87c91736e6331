"""What PostgreSQL needs beyond the shared code: the reconnecting connection, the search index
(GIN-indexed token arrays), and the schema and value helpers of ``migrate-to``.

The rest of the program reaches these only through :mod:`hotline.db`, :mod:`hotline.search`
and :mod:`hotline.migrate_to`, which dispatch by backend.
"""
