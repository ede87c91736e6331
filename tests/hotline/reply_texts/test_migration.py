"""Migration 17 on a database of the version before: the table, the centre's first texts once,
idempotent, and the schema as the models say."""

from __future__ import annotations

from hotline import db, migrations
from hotline.models import SchemaVersion
from hotline.reply_texts.schema import DEFAULTS, SCHEMA_VERSION, ReplyText
from tests.hotline.old_schema import back_to


def test_migration_17_on_an_older_database(database_target) -> None:
    handle = db.connect(database_target)
    try:
        back_to(handle, database_target, 14, "DROP TABLE IF EXISTS reply_text")
        assert migrations.upgrade(handle, database_target) == migrations.latest_version()
        assert SchemaVersion.get_or_none(SchemaVersion.version == SCHEMA_VERSION) is not None
        assert ReplyText.select().where(ReplyText.owner.is_null()).count() == len(DEFAULTS)
        ReplyText.delete().where(ReplyText.code == "dfsl").execute()
        seventeen = next(m for m in migrations.MIGRATIONS if m.version == SCHEMA_VERSION)
        seventeen.apply(handle)  # idempotent: no second set of defaults, nothing brought back
        assert ReplyText.select().count() == len(DEFAULTS) - 1
        if db.is_sqlite(handle):
            import sqlite3

            from hotline import schema_check

            with sqlite3.connect(database_target) as conn:
                assert schema_check.differences(conn, migrations.latest_version()) == []
            assert "reply_text" not in str(schema_check.reference(14))
    finally:
        db.close()


def test_an_english_desks_new_database_gets_the_texts_in_english(database) -> None:
    from hotline import i18n
    from hotline.reply_texts import placeholders, schema

    ReplyText.delete().execute()
    i18n.set_locale("en")
    try:
        schema.create_tables(database)
    finally:
        i18n.set_locale("zh_CN")
    handled = ReplyText.get(ReplyText.code == "dfbj")
    assert handled.title == "Reply: handled"
    assert handled.body.startswith(
        "Dear {enterprise}, the {category} matter you raised (case {case_no})"
    )
    assert not placeholders.unknown_names(handled.body)
