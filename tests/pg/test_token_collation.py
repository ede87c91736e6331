"""The search index's token arrays compare in byte order ("C") whatever the server's locale:
cheaper GIN builds and look-ups, the same on every server."""

from __future__ import annotations

from hotline import cases, db
from hotline.search import search
from hotline.search.index import rebuild
from tests.conftest import sample_case


def _collations(handle) -> dict[str, str | None]:
    rows = handle.execute_sql(
        "SELECT table_name, collation_name FROM information_schema.columns "
        "WHERE column_name = 'tokens' AND table_name LIKE '%%_search'"
    ).fetchall()
    return dict(rows)


def test_tokens_are_in_byte_order_also_in_a_table_made_before(pg_url: str, cli_actor) -> None:
    handle = db.open_database(pg_url)
    try:
        made = cases.register(
            cli_actor, sample_case(contact={"name": "王芳", "phone": "13900001111"})
        )
        tables = ("case_search", "enterprise_search", "case_private_search")
        assert _collations(handle) == dict.fromkeys(tables, "C")
        for table in tables:  # as a server set up before the collation was given
            handle.execute_sql(
                f'ALTER TABLE {table} ALTER COLUMN tokens TYPE TEXT[] COLLATE "default"'
            )
        assert set(_collations(handle).values()) == {None}
        rebuild()
        assert _collations(handle) == dict.fromkeys(tables, "C")
        assert search("王芳").case_ids == [made.id]
        assert search("0001111").case_ids == [made.id]
    finally:
        db.close()
