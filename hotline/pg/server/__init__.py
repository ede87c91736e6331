"""A shared PostgreSQL server where PostgreSQL itself enforces who may do what (issue 15).

``main.py server setup URL`` (:mod:`hotline.pg.server.setup`) creates, in one database, a
table owner that cannot log in, one group role per role of :mod:`hotline.permissions`, the
schema (the ordinary migrations, run as the owner), the grants generated from
:data:`hotline.permissions.PERMISSIONS` (:mod:`hotline.pg.server.grants`), the audit triggers
that chain entries in the database (:mod:`hotline.pg.server.audit_sql`), the functions through
which administrators manage people (:mod:`hotline.pg.server.people`) and the first
administrator as a login role. docs/server-security.md explains the design.
"""
