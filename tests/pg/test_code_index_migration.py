"""A PostgreSQL database from before the code 4-grams gets them when it is opened."""

from __future__ import annotations

from hotline import cases, db, migrations
from hotline.search import search
from tests.conftest import sample_case


def test_migration_six_rebuilds_the_token_arrays(pg_url: str, cli_actor) -> None:
    handle = db.open_database(pg_url)
    try:
        made = cases.register(
            cli_actor, sample_case(contact={"name": "张伟", "phone": "13812340987"})
        )
        # As version 5 stored them: characters and pairs only.
        handle.execute_sql(
            "UPDATE case_search SET tokens = ARRAY(SELECT t FROM unnest(tokens) AS t "
            "WHERE char_length(t) <= 2)"
        )
        handle.execute_sql("DELETE FROM schema_version WHERE version >= 6")  # 6 and later
        assert search("0987").case_ids == []  # the old arrays cannot answer a code's 4-gram
    finally:
        db.close()

    handle = db.open_database(pg_url)
    try:
        assert migrations.current_version(handle) == migrations.latest_version()
        assert search("0987").case_ids == [made.id]
        assert search("13812340987").case_ids == [made.id]
    finally:
        db.close()
