"""Search is right for Chinese text of any length and never chokes on query syntax."""

from __future__ import annotations

import pytest

from hotline import cases, workflow
from hotline.db import is_sqlite
from hotline.search import search, suggest_enterprises
from hotline.search.index import rebuild
from tests.conftest import sample_case
from tests.hotline.index_check import assert_index_is_as_rebuilt


@pytest.fixture
def corpus(database, cli_actor):
    made = {}
    made["wang"] = cases.register(
        cli_actor,
        sample_case(
            contact={"name": "王芳", "phone": "13900001111"},
            enterprise={"name": "淇县永达食品有限公司"},
            subject="食品标签被罚款",
            description="市场监管部门因标签瑕疵罚款五千元，企业认为属首次轻微违法。",
        ),
    )
    made["li"] = cases.register(
        cli_actor,
        sample_case(
            contact={"name": "李强", "phone": "0392-3312345"},
            enterprise={"name": "鹤壁市天宇建材有限公司", "uscc": "91410600MA44XKQ35C"},
            subject="工程款拖欠",
            description="区政府拖欠工程款三百万元已两年，多次催要无果。",
        ),
    )
    made["syntax"] = cases.register(
        cli_actor,
        sample_case(
            contact={"name": "赵敏", "phone": "13700002222"},
            enterprise={"name": '浚县"AND"(星光)*广告有限公司'},
            subject="招牌审批 C++ 问题",
            description="广告招牌设置审批材料要求不明确（第3次）。",
        ),
    )
    return made


def ids(text: str) -> set[int]:
    return set(search(text).case_ids)


def test_one_character(corpus) -> None:
    assert corpus["wang"].id in ids("芳")
    assert corpus["li"].id in ids("强")  # last character of a run
    assert corpus["wang"].id not in ids("强")


def test_two_character_names(corpus) -> None:
    assert ids("王芳") == {corpus["wang"].id}
    assert ids("李强") == {corpus["li"].id}
    assert ids("赵敏") == {corpus["syntax"].id}
    assert ids("王强") == set()


def test_three_and_eight_characters(corpus) -> None:
    assert ids("工程款") == {corpus["li"].id}
    assert ids("标签瑕疵罚款五千") == {corpus["wang"].id}
    # All bigrams present but not adjacent: must not match.
    assert ids("款工程") == set()


def test_credit_code_phone_and_case_number(corpus) -> None:
    assert ids("91410600MA44XKQ35C") == {corpus["li"].id}
    assert ids("91410600ma44") == {corpus["li"].id}
    assert ids("0392-3312345") == {corpus["li"].id}
    assert ids("3312345") == {corpus["li"].id}
    assert ids(corpus["wang"].case_no) == {corpus["wang"].id}


@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "AND", "(", ")", "NOT OR", '"AND"(', "NEAR(a b)", "^", "{}", "C++", "-"],
)
def test_fts_syntax_is_text(corpus, query: str) -> None:
    result = search(query)  # never raises
    assert isinstance(result.case_ids, list)


def test_syntax_characters_find_the_literal_text(corpus) -> None:
    assert ids('"AND"(星光)') == {corpus["syntax"].id}
    assert ids("C++") == {corpus["syntax"].id}
    assert ids("（第3次）") == {corpus["syntax"].id}


def test_several_words_must_all_match(corpus) -> None:
    assert ids("王芳 罚款") == {corpus["wang"].id}
    assert ids("王芳 工程款") == set()


def test_notes_are_searchable_and_reindexed(corpus, cli_actor) -> None:
    workflow.add_note(cli_actor, corpus["wang"].id, "已约谈执法队长")
    assert ids("执法队长") == {corpus["wang"].id}
    assert corpus["wang"].id in ids("罚款")  # the case's own text still indexed


def test_newest_first_with_keyset_paging(database, cli_actor) -> None:
    made = [cases.register(cli_actor, sample_case(subject=f"营业执照办理{i}")).id for i in range(7)]
    first = search("营业执照", limit=3)
    assert first.case_ids == made[::-1][:3]
    second = search("营业执照", limit=3, before_id=first.next_before)
    assert second.case_ids == made[::-1][3:6]
    third = search("营业执照", limit=3, before_id=second.next_before)
    assert third.case_ids == made[:1] and third.next_before is None


def test_rebuild_gives_the_same_answers(corpus) -> None:
    before = {q: ids(q) for q in ("王芳", "工程款", "芳", "C++")}
    rebuild()
    assert {q: ids(q) for q in before} == before


def test_enterprise_suggestions(corpus) -> None:
    names = [e.name for e in suggest_enterprises("天宇")]
    assert names == ["鹤壁市天宇建材有限公司"]
    assert [e.name for e in suggest_enterprises("91410600MA44")] == ["鹤壁市天宇建材有限公司"]
    assert suggest_enterprises("不存在的企业") == []


def test_a_search_that_checks_too_much_stops_and_can_go_on(database, cli_actor, monkeypatch):
    from hotline.search import query

    real = cases.register(cli_actor, sample_case(subject="拖欠工程款"))
    for n in range(10):  # every bigram of the query, never in that order
        cases.register(cli_actor, sample_case(subject=f"工程 程款 {n}"))
    monkeypatch.setattr(query, "BATCH", 2)
    monkeypatch.setattr(query, "MAX_EXAMINED", 4)
    page = search("工程款", limit=5)
    assert page.partial and page.case_ids == [] and page.next_before is not None
    found: list[int] = []
    while page.next_before is not None:
        page = search("工程款", limit=5, before_id=page.next_before)
        found += page.case_ids
    assert found == [real.id]


@pytest.mark.sqlite_only("compares the FTS5 tables with a rebuilt copy")
def test_vocabulary_check_sees_a_wrong_removal(corpus, database) -> None:
    """The check below is real: a token left behind by a wrong removal shows."""
    from hotline.search.documents import case_documents, case_sources
    from hotline.search.index import backend

    case_id = corpus["wang"].id
    tokens, codes, private = case_documents(*case_sources([case_id])[case_id])
    backend().write_case_documents([(case_id, tokens, codes, private)], delete=True)
    backend().write_case_documents([(case_id, tokens, codes + " 7777", private)])
    with pytest.raises(AssertionError):
        assert_index_is_as_rebuilt(database)


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, tuple[str, ...]]]:
    """What each candidate look-up asked, in order: SQLite (its FTS5 table, ()); PostgreSQL
    ("case_search", the tokens a row must hold)."""
    from hotline.pg import search as pg_search
    from hotline.search import sqlite_backend

    calls: list[tuple[str, tuple[str, ...]]] = []
    real_fts, real_pg = sqlite_backend._fts_candidates, pg_search.case_candidates

    def fts(db, expression, before_id, limit, table="case_fts"):
        calls.append((table, ()))
        return real_fts(db, expression, before_id, limit, table)

    def pg(db, terms, reveal, before_id, limit):
        calls.append(("case_search", tuple(pg_search.query_tokens(terms))))
        return real_pg(db, terms, reveal, before_id, limit)

    monkeypatch.setattr(sqlite_backend, "_fts_candidates", fts)
    monkeypatch.setattr(pg_search, "case_candidates", pg)
    return calls


def test_codes_come_from_the_code_index(corpus, asked) -> None:
    assert ids("91410600MA44XKQ35C") == {corpus["li"].id}
    if is_sqlite():
        assert asked == [("case_code_fts", ())]
    else:  # PostgreSQL: one array holds pairs and 4-grams; a code asks for its 4-grams only
        assert asked == [("case_search", ("0600", "9141", "ma44", "q35c", "xkq3"))]
    assert ids("0600ma44xkq") == {corpus["li"].id}  # from the middle, any case
    assert ids("2345") == {corpus["li"].id}  # a phone's last digits: one 4-gram, no check
    assert ids("00001111") == {corpus["wang"].id}
    assert ids("91410600MA44XKQ35C 李强") == {corpus["li"].id}
    assert ids("91410600MA44XKQ35C 王芳") == set()
    assert ids("91410600MA44XKQ36C") == set()  # every 4-gram it asks for differs somewhere
    assert ids("3312 0392") == {corpus["li"].id}
    if is_sqlite():
        assert {table for table, _ in asked} == {"case_code_fts"}
    else:  # never a code's digits or pairs: its 4-grams, and the names' pairs
        assert {token for _, tokens in asked for token in tokens if len(token) != 4} == {
            "李强",
            "王芳",
        }


def test_codes_in_notes_and_a_common_code_answer_the_same(corpus, cli_actor, monkeypatch):
    from hotline.search import sqlite_backend

    workflow.add_note(cli_actor, corpus["wang"].id, "发票号 NO.20260518ab7 已核对")
    queries = ("20260518ab7", "0518ab", "no.2026", "20260518AB7 王芳", "ab7", "13900001111")
    found = {q: ids(q) for q in queries}
    assert found["20260518ab7"] == {corpus["wang"].id}
    assert found["0518ab"] == {corpus["wang"].id}
    assert found["20260518AB7 王芳"] == {corpus["wang"].id}
    monkeypatch.setattr(sqlite_backend, "CODE_CANDIDATES", 0)  # every code "common": bigrams
    assert {q: ids(q) for q in queries} == found


def test_an_enterprise_given_its_code_later_has_its_cases_found_by_it(database, cli_actor) -> None:
    first = cases.register(
        cli_actor, sample_case(enterprise={"name": "淇滨区晨光印务有限公司"}, subject="印刷许可")
    )
    assert ids("91410611MA9GXU8R4T") == set()
    second = cases.register(
        cli_actor,
        sample_case(
            enterprise={"name": "淇滨区晨光印务有限公司", "uscc": "91410611MA9GXU8R4T"},
            subject="环评审批",
        ),
    )
    assert second.enterprise_id == first.enterprise_id
    assert ids("91410611MA9GXU8R4T") == {first.id, second.id}
    workflow.add_note(cli_actor, first.id, "企业补充材料")  # re-indexes from what is stored
    assert ids("91410611MA9GXU8R4T") == {first.id, second.id}
    assert ids("晨光 环评") == {second.id}
    if is_sqlite():
        assert_index_is_as_rebuilt(database)


@pytest.mark.sqlite_only("compares the FTS5 tables with a rebuilt copy")
def test_the_index_after_changes_is_the_index_rebuilt(corpus, database, cli_actor) -> None:
    workflow.add_note(cli_actor, corpus["wang"].id, "回访电话 0392-2201234，企业代码 MA44XKQ")
    cases.register(
        cli_actor,
        sample_case(
            enterprise={"name": "淇县永达食品有限公司", "uscc": "91410622MA45RUNE19"},
            contact={"name": "王芳", "phone": "13900001111"},
        ),
    )
    assert_index_is_as_rebuilt(database)


def test_a_query_of_codes_only_always_asks_the_code_index(corpus, asked, monkeypatch) -> None:
    """Even a common code: its bigrams would be worse (case numbers of another year)."""
    from hotline.search import sqlite_backend

    monkeypatch.setattr(sqlite_backend, "CODE_CANDIDATES", 0)  # every code counts as common
    assert ids("0392-3312345") == {corpus["li"].id}
    assert ids("3312345 李强") == {corpus["li"].id}  # codes and a name: the bigrams decide
    if is_sqlite():
        assert [table for table, _ in asked] == ["case_code_fts", "case_fts"]
    else:  # PostgreSQL asks one array: the code's 4-grams alone, then with the name's pairs
        assert asked[0] == ("case_search", ("0392", "2345", "3312"))
        assert {"3312", "2345", "李强"} <= set(asked[-1][1])


def test_postgresql_keeps_and_asks_for_the_same_code_4_grams() -> None:
    from hotline.pg.search import grams, query_tokens
    from hotline.search.tokens import parse_query

    stored = grams(["回访电话 0392-3312345，代码91410600MA44XKQ35C"])
    assert {"0392", "3312", "2345", "9141", "xkq3", "q35c"} <= stored
    assert query_tokens(parse_query("0392-3312345")) == ["0392", "2345", "3312"]  # codes only
    asked = query_tokens(parse_query("张伟 13912345678"))
    assert {"张伟", "1391", "2345", "5678"} <= set(asked) and "13" not in asked
    assert {"no", "20", "2026"} <= set(query_tokens(parse_query("no.2026")))  # mixed: both


def test_one_search_backend_per_database(database, tmp_path) -> None:
    """The open database's index is made once and kept; another database gets its own."""
    from peewee import SqliteDatabase

    from hotline.search.index import backend

    first = backend()
    assert backend() is first and first.db is database
    other = SqliteDatabase(str(tmp_path / "other.sqlite3"))
    made = backend(other)
    assert made.db is other and type(made).__name__ == "SqliteSearch"
    assert backend().db is database


def test_a_rebuild_in_small_batches_indexes_every_case(corpus, database, monkeypatch) -> None:
    from hotline.models import Case
    from hotline.pg import search as pg_search
    from hotline.search import sqlite_backend
    from hotline.search.documents import case_sources, every_case_source

    chunks = list(every_case_source(database, 2))
    read = [case_id for chunk in chunks for case_id, _confidential, _texts in chunk]
    assert read == sorted(row[0] for row in Case.select(Case.id).tuples())
    assert len(read) > 2 and max(map(len, chunks)) == 2 and len(chunks) == -(-len(read) // 2)
    assert {case_id: (c, t) for chunk in chunks for case_id, c, t in chunk} == case_sources(read)
    monkeypatch.setattr(sqlite_backend, "BATCH", 2)
    monkeypatch.setattr(pg_search, "BATCH", 2)
    assert rebuild() == len(read)
    assert ids("拖欠工程款") == {corpus["li"].id}
    assert ids("91410600MA44XKQ35C") == {corpus["li"].id}
    if is_sqlite():
        assert_index_is_as_rebuilt(database)


def _index_rows(database) -> dict[str, list[tuple[int, object]]]:
    if is_sqlite():
        from tests.hotline.index_check import vocabulary

        return {table: sorted(rows) for table, rows in vocabulary(database).items()}
    return {
        table: database.execute_sql(
            f"SELECT case_id, tokens FROM {table} ORDER BY case_id"
        ).fetchall()
        for table in ("case_search", "case_private_search")
    }


def test_a_rebuild_in_worker_processes_is_the_rebuild_done_here(
    corpus, database, cli_actor, monkeypatch
) -> None:
    """``migrate-to`` and the benchmark tokenise in worker processes: the same index."""
    from hotline.pg import search as pg_search
    from hotline.search import sqlite_backend

    confidential = sample_case(
        contact={"name": "周密", "phone": "13611112222"},
        enterprise={"name": "淇县周氏纸业有限公司", "uscc": None},
    )
    confidential["confidential"] = True
    cases.register(cli_actor, confidential)
    monkeypatch.setattr(sqlite_backend, "BATCH", 2)  # several chunks, several workers
    monkeypatch.setattr(pg_search, "BATCH", 2)
    assert rebuild() == 4
    here = _index_rows(database)
    assert here["case_private_fts" if is_sqlite() else "case_private_search"]  # the caller's
    assert rebuild(workers=2) == 4
    assert _index_rows(database) == here
    assert ids("拖欠工程款") == {corpus["li"].id}


def test_next_window_follows_the_rate_of_matches() -> None:
    from hotline.pg.search import GIN_FROM, GIN_ROWS, WINDOW, next_window

    assert next_window(0, WINDOW, 200, 10**6) is None  # none yet: a rare word, the GIN index
    # 120 of 2,000 (a common pair): the 80 missing in a window of 80 / 6% × 1.5 ids.
    assert next_window(120, 2000, 200, 10**6) == 2000
    assert next_window(30, 2000, 200, 10**6) == 17000
    # Few matches left in all the older ids: all of them at once.
    assert next_window(2, 2000, 200, (GIN_ROWS * 1000) // 2) is None
    # A window larger than GIN_FROM, or than what is left: the rest from the GIN index.
    assert next_window(1, 2000, 200, 10**7) is None
    assert GIN_FROM < 199 * 2000 / 1 * 1.5 and GIN_ROWS < 10**7 / 2000
    assert next_window(120, 2000, 200, 1500) is None
