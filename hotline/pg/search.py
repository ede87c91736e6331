"""The search index on PostgreSQL: the same characters and bigrams as on SQLite, GIN-indexed.

SQLite keeps the tokens of :mod:`hotline.search.tokens` in contentless FTS5 tables; PostgreSQL
has no FTS5, and ``pg_trgm`` ignores CJK text in the C locale. So each case's tokens go into
one row of ``case_search(case_id, tokens text[])`` (each enterprise's into
``enterprise_search``) with a GIN index, produced by the same ``runs``: every character and
every adjacent pair of a run of letters and digits. Keeping the single characters too turns
FTS5's prefix query ``"x"*`` (a character that starts a token, i.e. occurs in a run) into a plain
element ``x``. A query asks for rows whose array contains every token of its terms
(``tokens @> …``): the planner intersects the GIN posting lists for rare tokens, or walks the
ids newest first and stops at the page for common ones. The candidates then go through the same
check against the real text as on SQLite, so both backends give the same results.

As on SQLite, a confidential case's row in ``case_search`` holds the tokens of its masked
texts, and its real tokens sit in ``case_private_search``, which only the query of a role
allowed to see confidential callers asks (see :mod:`hotline.search.documents`).

On a server set up with a login role per person, row-level security is on for the person's
session, and a policy that is not constant (a department's) is checked before the token test
on every row: the GIN index would go unused. There the candidates come from the function
``hotline_search_cases`` (run as the owner, it uses the index and applies the same policies
itself; :func:`hotline.pg.server.policies.search_function`).
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from peewee import Database

from hotline.models import Case, tuples, unreadable_columns
from hotline.pg import login_rules
from hotline.pg.server.policies import (
    SEARCH_GIN_FROM,
    SEARCH_GIN_ROWS,
    SEARCH_WINDOW,
)
from hotline.search.backend import CaseLookup
from hotline.search.documents import (
    CASE_TEXT_COLUMNS,
    CaseDocuments,
    case_sources,
    every_case_source,
    masked_texts,
)
from hotline.search.tokens import CODE_GRAM, Term, code_grams, code_runs, normalize, runs
from hotline.worker_processes import ordered_map

log = logging.getLogger(__name__)

# Rebuilt from the data, never copied.
CONTACT_COLUMNS = frozenset({"contact_name", "contact_phone"})
DERIVED_TABLES = ("case_search", "enterprise_search", "case_private_search")
WINDOW = SEARCH_WINDOW  # newest ids a query checks row by row before it asks the GIN index
GIN_ROWS = SEARCH_GIN_ROWS  # expected matches left below which the GIN index gives them all
GIN_FROM = SEARCH_GIN_FROM  # a window of ids at least this large: the GIN index instead
BATCH = 5_000  # cases read at a time by a rebuild
_KEYS = {
    "case_search": "case_id",
    "enterprise_search": "enterprise_id",
    "case_private_search": "case_id",
}
# Tokens are only ever compared for equality: byte order ("C") instead of the server's locale
# makes the GIN index's build and look-ups cheaper (25% less time for the build under C.UTF-8,
# more under a language's collation) and the same on every server.
TOKENS = 'TEXT[] COLLATE "C"'
_SCHEMA = tuple(
    statement
    for table, key in _KEYS.items()
    for statement in (
        f"CREATE TABLE IF NOT EXISTS {table} ({key} INTEGER PRIMARY KEY, tokens {TOKENS} NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {table}_tokens ON {table} USING gin (tokens)",
        # A long list of the commonest tokens lets the planner tell rare from common ones.
        f"ALTER TABLE {table} ALTER COLUMN tokens SET STATISTICS 1000",
    )
)


def grams(texts: Iterable[str | None]) -> set[str]:
    """Every character and every adjacent pair of the runs of ``texts``, and the 4-grams of
    their codes (the tokens of SQLite's ``case_code_fts``; 4 characters, so never confused with
    a character or a pair)."""
    out: set[str] = set()
    for text in texts:
        if not text:
            continue
        normalized = normalize(text)
        for run in runs(normalized):
            out.update(run)
            out.update(run[i : i + 2] for i in range(len(run) - 1))
        for run in code_runs(normalized):
            out.update(run[i : i + CODE_GRAM] for i in range(len(run) - CODE_GRAM + 1))
    return out


def query_tokens(terms: Sequence[Term]) -> list[str]:
    """The tokens a row must hold to match ``terms``.

    A word made of codes only (a case, phone or credit-code number) asks for the 4-grams that
    cover its codes, which are rare, instead of its digits and pairs, which are in nearly every
    row and make the GIN look-up slow.
    """
    tokens: list[str] = []
    for term in terms:
        tokens.extend(code_grams(term.text))
        if term.code_only:
            continue
        for run in runs(term.text):
            tokens.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return sorted(set(tokens))


def _case_grams(confidential: bool, texts: list[str]) -> tuple[set[str], set[str] | None]:
    """The tokens of ``case_search`` and, for a confidential case, of ``case_private_search``."""
    if not confidential:
        return grams(texts), None
    return grams(masked_texts(texts)), grams(texts)


def case_candidates(
    db: Database, terms: Sequence[Term], reveal: bool, before_id: int | None, limit: int
) -> list[int]:
    """Ids of cases holding every token of ``terms``, newest first, below ``before_id``;
    with ``reveal`` also confidential cases whose real texts hold them.

    Two steps keep the cost bounded whatever the planner believes: the newest ``WINDOW`` ids
    are checked directly (enough for common words, which match there), then the older rows
    are found by intersecting the GIN posting lists (rare words, or words that match only old
    cases, such as an old case number). Walking all ids newest first instead can read every
    row when the matches are old: tokens are not spread evenly over time. Under row-level
    security the same two steps run in ``hotline_search_cases`` (:func:`uses_search_function`).
    """
    tokens = query_tokens(terms)
    if not tokens:
        return []
    # The command line acts as an administrator wherever the server is the gate: a login
    # that may not read the private index asks the shared one only, as its role's would.
    reveal = reveal and login_rules.of(db).private_index
    if uses_search_function(db):
        rows = db.execute_sql(
            "SELECT f.id FROM public.hotline_search_cases(%s::text[], %s, %s, %s) AS f(id) "
            "ORDER BY f.id DESC",
            (tokens, before_id, limit, reveal),
        )
        return [row[0] for row in rows]
    scope, scope_params, assisted = _scope(db)
    found = _shared_candidates(db, tokens, before_id, limit, scope, scope_params)
    if reveal:
        found += _matching(db, "case_private_search", tokens, scope, scope_params, before_id, limit)
    if assisted:  # the cases a department assists (会办): few, by their keys
        by_key = " AND case_id = ANY(%s)"
        for table in ("case_search", "case_private_search") if reveal else ("case_search",):
            found += _matching(db, table, tokens, by_key, [assisted], before_id, limit)
    return sorted(set(found), reverse=True)[:limit]


def _matching(
    db: Database,
    table: str,
    tokens: list[str],
    scope: str,
    scope_params: Sequence[object],
    before_id: int | None,
    limit: int,
) -> list[int]:
    """The newest ``limit`` ids of ``table`` below ``before_id`` whose tokens hold ``tokens``."""
    sql = f"SELECT case_id FROM {table} WHERE tokens @> %s::text[]" + scope
    params: list[object] = [tokens, *scope_params]
    if before_id is not None:
        sql += " AND case_id < %s"
        params.append(before_id)
    params.append(limit)
    return [row[0] for row in db.execute_sql(sql + " ORDER BY case_id DESC LIMIT %s", params)]


def uses_search_function(db: Database) -> bool:
    """Whether ``db``'s candidates come from ``hotline_search_cases`` (a server set up by
    ``server setup``, read as a department person's own login role: row-level security with a
    rule of its own is on for this session, and the function runs as the owner so that the GIN
    index is used, returning only what the role's policies let it read;
    :func:`hotline.pg.server.policies.search_function`). Elsewhere (the centre's roles, whose
    policy on the index lets every row through, the table owner, a single-login server, a
    server not yet upgraded) the query below is asked directly."""
    return login_rules.of(db).search_function


def _scope(db: Database) -> tuple[str, list[object], list[int]]:
    """What the signed-in department may see (:func:`hotline.access.case_condition`), in the
    query itself, so that a department finds its own older matches: the condition on its own
    cases (a semi-join the planner can start from either side) and, apart, the ids of the
    cases it assists (会办; few: an ``OR`` of both would cost a hash of all its cases in every
    query)."""
    from hotline import access

    actor = access.session_actor()
    if actor is None or not access.is_department(actor):
        return "", [], []
    assisted = [
        int(row[0])
        for row in db.execute_sql(
            "SELECT case_id FROM case_assist WHERE department_id = %s AND NOT cancelled",
            (actor.department_id,),
        )
    ]
    return (
        ' AND case_id IN (SELECT c.id FROM "case" AS c WHERE c.department_id = %s)',
        [actor.department_id],
        assisted,
    )


def _shared_candidates(
    db: Database,
    tokens: list[str],
    before_id: int | None,
    limit: int,
    scope: str = "",
    scope_params: Sequence[object] = (),
) -> list[int]:
    top = before_id
    if top is None:
        (newest,) = db.execute_sql("SELECT max(case_id) FROM case_search").fetchone()
        if newest is None:
            return []
        top = newest + 1
    low = max(top - WINDOW, 0)
    found = [
        row[0]
        for row in db.execute_sql(
            "SELECT case_id FROM case_search WHERE case_id < %s AND case_id >= %s "
            f"AND tokens @> %s::text[]{scope} ORDER BY case_id DESC LIMIT %s",
            (top, low, tokens, *scope_params, limit),
        )
    ]
    scanned = top - low
    while len(found) < limit and low > 0:
        size = next_window(len(found), scanned, limit, low)
        # OFFSET 0 keeps ORDER BY/LIMIT out of the subquery: the planner finds every match
        # of the window (from the GIN index, with the ids' range where that is cheaper).
        window = "" if size is None else " AND case_id >= %s"
        bounds = (low,) if size is None else (low, low - size)
        found.extend(
            row[0]
            for row in db.execute_sql(
                "SELECT case_id FROM (SELECT case_id FROM case_search "
                f"WHERE tokens @> %s::text[] AND case_id < %s{window}{scope} OFFSET 0) AS older "
                "ORDER BY case_id DESC LIMIT %s",
                (tokens, *bounds, *scope_params, limit - len(found)),
            )
        )
        if size is None:
            break
        scanned += size
        low -= size
    return found


def next_window(found: int, scanned: int, limit: int, low: int) -> int | None:
    """How many older ids to search next, given ``found`` matches in the ``scanned`` newest;
    ``None``: all of the ``low`` ids left in one step.

    A word found in a fair share of the rows (a common bigram pair, a town's name) is found
    in the next window of about the size its rate needs; all its matches would be many, each
    a row to read. A word found in few rows, or none, has few matches: the GIN index gives
    them all at once, cheaper than a range of ids (:data:`GIN_ROWS`, :data:`GIN_FROM`;
    measured at a million cases, benchmarks/README.md). ``hotline_search_cases`` decides
    the same way.
    """
    if found == 0:
        return None
    rate = found / scanned
    size = max(int((limit - found) / rate * 1.5), WINDOW)
    if rate * low <= GIN_ROWS or size > GIN_FROM or size >= low:
        return None
    return size


def _copy_line(buffer: io.StringIO, owner: int, tokens: set[str]) -> None:
    """One row in COPY's text format. Tokens are letters and digits: quoting them is enough."""
    array = ",".join(f'"{token}"' for token in sorted(tokens))
    buffer.write(f"{owner}\t{{{array}}}\n")


def _copy(db: Database, table: str, rows: Iterable[tuple[int, set[str]]]) -> None:
    """Bulk-load rows with COPY."""
    buffer = io.StringIO()
    for owner, tokens in rows:
        _copy_line(buffer, owner, tokens)
    _copy_text(db, table, buffer.getvalue())


def _copy_text(db: Database, table: str, text: str) -> None:
    if not text:
        return
    with db.connection().cursor() as cur:
        cur.copy_expert(f"COPY {table} ({_KEYS[table]}, tokens) FROM STDIN", io.StringIO(text))


def chunk_copy_texts(chunk: list[tuple[int, bool, list[str]]]) -> tuple[int, str, str]:
    """A chunk of cases (id, confidential, texts) as the COPY text of their ``case_search``
    and ``case_private_search`` rows, with the number of cases: the CPU-bound part of a
    rebuild, run in worker processes (:func:`hotline.worker_processes.ordered_map`)."""
    shared, private = io.StringIO(), io.StringIO()
    for case_id, confidential, texts in chunk:
        public, secret = _case_grams(confidential, texts)
        _copy_line(shared, case_id, public)
        if secret is not None:
            _copy_line(private, case_id, secret)
    return len(chunk), shared.getvalue(), private.getvalue()


@dataclass(frozen=True)
class PostgresSearch:
    """:class:`hotline.search.backend.SearchBackend` over GIN-indexed token arrays."""

    db: Database
    rebuild_after_bulk: ClassVar[bool] = True

    def install(self) -> None:
        for statement in _SCHEMA:
            self.db.execute_sql(statement)

    # -- writing ----------------------------------------------------------------------------

    def _store(self, table: str, owner: int, tokens: set[str]) -> None:
        # Reading excluded.tokens needs SELECT on the column: the private index is stored
        # only by roles that may read it (reindex_cases).
        key = _KEYS[table]
        self.db.execute_sql(
            f"INSERT INTO {table} ({key}, tokens) VALUES (%s, %s) "
            f"ON CONFLICT ({key}) DO UPDATE SET tokens = excluded.tokens",
            (owner, sorted(tokens)),
        )

    def reindex_cases(self, case_ids: Sequence[int]) -> None:
        """Bring the tokens of ``case_ids`` up to date (a deleted case loses its row)."""
        if CONTACT_COLUMNS & unreadable_columns.get("case", frozenset()):
            self._add_readable_tokens(case_ids)
            return
        sources = case_sources(case_ids)
        # A role that may not read confidential callers (a manager, a department) reads their
        # masked forms: tokens made from those would lose the caller's name and phone from the
        # private index, so it is left as it is until a role that may read them changes the case.
        may_rebuild_private = login_rules.of(self.db).private_index
        for case_id in case_ids:
            shared, private = _case_grams(*sources[case_id]) if case_id in sources else (None, None)
            if shared is not None:
                self._store("case_search", case_id, shared)
            else:
                self.db.execute_sql("DELETE FROM case_search WHERE case_id = %s", (case_id,))
            if private is not None:
                if may_rebuild_private:
                    self._store("case_private_search", case_id, private)
            else:
                self.db.execute_sql(
                    "DELETE FROM case_private_search WHERE case_id = %s", (case_id,)
                )

    index_new_cases = reindex_cases

    def _add_readable_tokens(self, case_ids: Sequence[int]) -> None:
        """A role that may not read the callers' contacts (a manager adding a note, on a
        server with a login role per person) cannot rebuild a case's tokens: it adds the
        tokens of the texts it reads to those of a case that is not confidential (a note
        only adds text). A confidential case's texts must be scrubbed of its caller, whom
        this role does not know: its tokens wait for the next change by a role that does."""
        readable = [c for c in CASE_TEXT_COLUMNS if c not in CONTACT_COLUMNS]
        for case_id in case_ids:
            row = self.db.execute_sql(
                "SELECT c.confidential, e.name, e.uscc, "
                + ", ".join(f"c.{column}" for column in readable)
                + ' FROM "case" c LEFT JOIN enterprise e ON e.id = c.enterprise_id '
                "WHERE c.id = %s",
                (case_id,),
            ).fetchone()
            if row is None or row[0]:
                continue
            events = self.db.execute_sql(
                "SELECT text FROM case_event WHERE case_id = %s AND text <> ''", (case_id,)
            )
            texts = [str(value or "") for value in row[1:]] + [str(e[0]) for e in events]
            self.db.execute_sql(
                "UPDATE case_search SET tokens = ARRAY(SELECT DISTINCT t FROM "
                "unnest(tokens || %s::text[]) AS t ORDER BY t) WHERE case_id = %s",
                (sorted(grams(texts)), case_id),
            )

    def before_case_change(self, case_id: int) -> CaseDocuments | None:
        return None  # a row is replaced whole: nothing to know of it before

    def after_case_change(self, case_id: int, before: CaseDocuments | None) -> None:
        self.reindex_cases([case_id])

    def index_enterprise(
        self, enterprise_id: int, name: str, uscc: str | None, old: tuple[str, str | None] | None
    ) -> None:
        self._store("enterprise_search", enterprise_id, grams([name, uscc or ""]))
        if old is not None:
            ids = tuples(Case.select(Case.id).where(Case.enterprise == enterprise_id))
            self.reindex_cases([row[0] for row in ids])

    def index_bulk_enterprises(self, rows: Iterable[tuple[int, str, str | None]]) -> None:
        """Nothing: the writer rebuilds the index when done (``rebuild_after_bulk``)."""

    def index_bulk_cases(self, rows: Iterable[tuple[int, str, str, str]]) -> None:
        """Nothing: the writer rebuilds the index when done (``rebuild_after_bulk``)."""

    def rebuild(self, workers: int = 1) -> int:
        """Recompute the tables from the cases and enterprises; returns the cases indexed.
        With ``workers`` > 1 the cases' texts are tokenised in that many processes while
        this one reads the next cases and writes the tokens."""
        with self.db.atomic():  # other workstations wait for the new index instead of seeing none
            return self._rebuild(workers)

    def _rebuild(self, workers: int) -> int:
        db = self.db
        self.install()
        db.execute_sql(f"TRUNCATE {', '.join(_KEYS)}")
        for table in _KEYS:  # one index build after the load is much faster than row by row
            db.execute_sql(f"DROP INDEX IF EXISTS {table}_tokens")
            # Tables made before the collation was set get it now, while they are empty.
            db.execute_sql(f"ALTER TABLE {table} ALTER COLUMN tokens TYPE {TOKENS}")
        count = 0
        chunks = every_case_source(db, BATCH)
        for cases, shared, private in ordered_map(chunk_copy_texts, chunks, workers=workers):
            _copy_text(db, "case_search", shared)
            _copy_text(db, "case_private_search", private)
            count += cases
        enterprises = db.execute_sql("SELECT id, name, uscc FROM enterprise").fetchall()
        _copy(db, "enterprise_search", ((i, grams([n, u or ""])) for i, n, u in enterprises))
        db.execute_sql("SET LOCAL maintenance_work_mem = '256MB'")
        self.install()
        db.execute_sql("ANALYZE case_search")
        db.execute_sql("ANALYZE enterprise_search")
        db.execute_sql("ANALYZE case_private_search")
        log.info("search index rebuilt on PostgreSQL: %s cases", count)
        return count

    def add_code_index(self) -> None:
        """The code 4-grams go into the same token arrays: they are rebuilt."""
        self.rebuild()

    # -- asking -----------------------------------------------------------------------------

    def case_lookup(self, terms: Sequence[Term], reveal: bool) -> CaseLookup:
        """One array holds pairs and 4-grams: a term is exact by either."""
        fetch = functools.partial(case_candidates, self.db, terms, reveal)
        return CaseLookup(fetch, exact=all(t.exact or t.code_exact for t in terms))

    def enterprise_candidates(self, terms: Sequence[Term], limit: int) -> list[int]:
        tokens = query_tokens(terms)
        if not tokens:
            return []
        rows = self.db.execute_sql(
            "SELECT enterprise_id FROM enterprise_search WHERE tokens @> %s::text[] "
            "ORDER BY enterprise_id DESC LIMIT %s",
            (tokens, limit),
        )
        return [row[0] for row in rows]
