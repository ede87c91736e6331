"""Row-level security ``server setup`` installs, generated from the permission table.

Two rules, each enforced by PostgreSQL for whoever connects (docs/server-security.md, 4):

* **Confidential callers.** ``case_contact`` holds the callers' real names and phones. The
  groups whose role has ``case.view_confidential`` (:data:`hotline.permissions.PERMISSIONS`)
  read every row; the other groups of the centre read only the rows that are not confidential
  (a role without the right gets no row for a confidential caller and shows the masked forms
  the case row keeps).
* **Departments.** A member of the department group reads only the rows of its department's
  cases (``case.department_id`` equal to the department ``department_member`` gives its
  login's user; :func:`hotline.access.case_condition` is the same rule in the services) in
  ``case`` and every table whose rows belong to a case; of the timeline not the centre's
  internal notes; a confidential caller only where the centre granted it
  (``case_handling.caller_granted``). A changed case must stay the department's: it cannot be
  given to another department. What it may change at all is the grants' business
  (:mod:`hotline.pg.server.grants`: never the classification).

Policies are permissive and named ``hotline_…``; each carries a comment with the hash of its
definition, so ``server upgrade`` finds one that is missing, changed or added by hand and puts
the generated set back. The table owner is not bound by them (the owner's sessions are the
server administrator's: ``server setup``/``upgrade``, and ``migrate-to`` into a new database).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from hotline.enums import Role
from hotline.permissions import PERMISSIONS, Action
from hotline.pg.server import department_guard
from hotline.pg.server.names import RoleNames

PREFIX = "hotline_"
MY_DEPARTMENT = "(SELECT public.hotline_my_department())"
MY_USER = "(SELECT public.hotline_my_user())"
# The cases the signed-in department assists (会办, a part not cancelled). Read as the reader:
# case_assist's own policies ask the case's department through a function
# (hotline_case_department), so they do not recurse into the case's; the planner hashes the
# department's parts from its index once per query (the function hotline_assisted_cases,
# kept for older callers, cost 3 ms a query for 850 parts as a set-returning call).
ASSISTED = (
    "(SELECT a.case_id FROM public.case_assist AS a "
    f"WHERE a.department_id = {MY_DEPARTMENT} AND NOT a.cancelled)"
)
# Tables an assisting department writes beside its part: its answer's timeline entry and the
# case's index, its documents in the attachments tab.
ASSIST_WRITES = frozenset(
    {"case_event", "case_search", "case_private_search", "attachment", "attachment_chunk"}
)

# Tables whose rows belong to a case, and the SQL that gives a row's case id.
CASE_ROWS: dict[str, str] = {
    "case": "id",
    "case_contact": "case_id",
    "case_event": "case_id",
    "case_handling": "case_id",
    "supervision_notice": "case_id",
    "attachment": "case_id",
    "attachment_chunk": "attachment_id",  # through its attachment (see _department_rule)
    "case_search": "case_id",
    "case_private_search": "case_id",
    "exemption_assessment": "case_id",
    "exemption_penalty": "case_id",
}
CENTRE_ROLES = (Role.OPERATOR, Role.SHIFT_LEAD, Role.MANAGER, Role.ADMIN)


@dataclass(frozen=True)
class Policy:
    table: str
    name: str
    command: str  # ALL, SELECT, UPDATE …
    roles: tuple[str, ...]
    using: str | None
    check: str | None

    @property
    def sql(self) -> str:
        roles = ", ".join(_quoted(r) for r in self.roles)
        out = f"CREATE POLICY {self.name} ON public.{_quoted(self.table)} FOR {self.command} TO {roles}"
        if self.using is not None:
            out += f" USING ({self.using})"
        if self.check is not None:
            out += f" WITH CHECK ({self.check})"
        return out

    @property
    def digest(self) -> str:
        return "hotline:" + hashlib.sha256(self.sql.encode("utf-8")).hexdigest()[:16]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def may_see_confidential(role: Role) -> bool:
    return Action.CASE_VIEW_CONFIDENTIAL in PERMISSIONS[role]


def _department_rule(table: str) -> str:
    """The rows of ``table`` that belong to the signed-in department's cases.

    A row's case is found by its key (a scalar subquery: one index probe per row read, so a
    page of rows costs a page of probes); an ``IN (the department's cases)`` would be turned
    into a hash of all the department's cases, built for every query. The search index too:
    the program searches it through :func:`search_function`, which applies this rule to the
    rows the GIN index gives (a few probes, where the hash cost 12 ms at 8,000 cases), and a
    re-index writes one row. (Read directly as the reader, its token test cannot run before
    the policy, not being leakproof: every row of the index is probed.)
    """
    if table == "case":
        return f"department_id = {MY_DEPARTMENT}"
    if table == "attachment_chunk":
        case_of = (
            'SELECT c.department_id FROM public.attachment AS a JOIN public."case" AS c '
            "ON c.id = a.case_id WHERE a.id = attachment_chunk.attachment_id"
        )
    else:
        case_of = f'SELECT c.department_id FROM public."case" AS c WHERE c.id = {table}.{CASE_ROWS[table]}'
    return f"({case_of}) = {MY_DEPARTMENT}"


def _contact_seen_by_department(mine: str) -> str:
    """The callers a department reads: of its own and assisted cases the callers that are not
    confidential, of its own cases a confidential one the centre granted.

    The same rows as "(mine AND (NOT confidential OR granted)) OR (assisted AND NOT
    confidential)", asked in the order that costs least: a caller that is not confidential is
    the department's when its case can be read at all (a subquery in a policy reads under
    row-level security, so the case's own policy decides: the department's cases and those it
    assists). One index probe per row, where the alternatives cost four times as much (the
    list's page of 100 rows with their callers took 4 ms more than the owner's query, 0.4 ms
    now; docs/server-security.md 4c). Not for the search index's tables: the search function
    applies their rules as the owner, whom no row-level security binds.
    """
    readable = 'EXISTS (SELECT 1 FROM public."case" AS c WHERE c.id = case_contact.case_id)'
    granted = (
        "coalesce((SELECT h.caller_granted FROM public.case_handling AS h "
        "WHERE h.case_id = case_contact.case_id), false)"
    )
    return f"(NOT confidential AND {readable}) OR (confidential AND {granted} AND {mine})"


def _assisting_rule(table: str) -> str:
    """The rows of ``table`` that belong to a case the signed-in department assists."""
    if table == "attachment_chunk":
        key = (
            "(SELECT a.case_id FROM public.attachment AS a "
            "WHERE a.id = attachment_chunk.attachment_id)"
        )
    else:
        key = f"{_quoted(table)}.{CASE_ROWS[table]}"
    return f"{key} IN {ASSISTED}"


def policies(names: RoleNames, tables: set[str]) -> list[Policy]:
    """Every policy of the tables in ``tables`` that exist (later migrations add some)."""
    centre = tuple(names.group(role) for role in CENTRE_ROLES)
    seeing = tuple(names.group(r) for r in CENTRE_ROLES if may_see_confidential(r))
    masked = tuple(names.group(r) for r in CENTRE_ROLES if not may_see_confidential(r))
    department = (names.department,)
    out: list[Policy] = []
    for table in CASE_ROWS:
        if table not in tables:
            continue
        if table == "case_contact":
            out.append(Policy(table, "hotline_confidential", "ALL", seeing, "true", "true"))
            if masked:
                plain = "NOT confidential"
                out.append(Policy(table, "hotline_not_confidential", "ALL", masked, plain, plain))
        else:
            out.append(Policy(table, "hotline_centre", "ALL", centre, "true", "true"))
        if Action.CASE_VIEW not in PERMISSIONS[Role.DEPARTMENT]:
            continue
        mine = _department_rule(table)
        assisted = _assisting_rule(table)
        if table == "case":
            # Changing a case leaves it the department's: it cannot hand it to another. An
            # assisting department's answer touches the case (its version) and leaves its
            # lead department as it was.
            # (The checks of permissive policies are alternatives: each asks what the row was,
            # lest an assisting department's row pass the lead's check by naming itself.)
            seen = f"{mine} OR {assisted}"
            stored = "public.hotline_case_department(id)"
            stays = f"{mine} AND {stored} = {MY_DEPARTMENT}"
            kept = f"{assisted} AND department_id IS NOT DISTINCT FROM {stored}"
            out.append(Policy(table, "hotline_department", "SELECT", department, seen, None))
            out.append(
                Policy(table, "hotline_department_change", "UPDATE", department, mine, stays)
            )
            out.append(
                Policy(table, "hotline_department_assist", "UPDATE", department, assisted, kept)
            )
            continue
        shown = mine
        shown_assisting = assisted
        if table == "case_event":
            shown = f"{mine} AND NOT internal"  # the centre's internal notes are not for them
            shown_assisting = f"{assisted} AND NOT internal"
        elif table == "case_contact":
            granted = (
                "coalesce((SELECT h.caller_granted FROM public.case_handling AS h "
                "WHERE h.case_id = case_contact.case_id), false)"
            )
            shown = f"{mine} AND (NOT confidential OR {granted})"
            # The centre's grant is for the lead department: an assisting one sees the masked forms.
            shown_assisting = f"{assisted} AND NOT confidential"
        written = f"({mine}) OR ({assisted})" if table in ASSIST_WRITES else mine
        seen = f"({shown}) OR ({shown_assisting})"
        if table == "case_contact":
            seen = _contact_seen_by_department(mine)
        out.append(Policy(table, "hotline_department", "ALL", department, seen, written))
    if "case_assist" in tables:
        # The parts of co-handling: the lead department reads and ends its case's parts, an
        # assisting department reads and answers its own part only.
        out.append(Policy("case_assist", "hotline_centre", "ALL", centre, "true", "true"))
        if Action.CASE_VIEW in PERMISSIONS[Role.DEPARTMENT]:
            part = (
                f"department_id = {MY_DEPARTMENT} "
                f"OR public.hotline_case_department(case_id) = {MY_DEPARTMENT}"
            )
            out.append(
                Policy("case_assist", "hotline_department", "SELECT", department, part, None)
            )
            out.append(
                Policy("case_assist", "hotline_department_part", "UPDATE", department, part, part)
            )
    if "reply_text" in tables:
        out.extend(_reply_text_policies(names))
    return out


def _reply_text_policies(names: RoleNames) -> list[Policy]:
    """Reply texts (常用语): each person reads and writes their own private texts and reads the
    centre's shared ones; only the groups whose role has ``reply_text.shared`` write those."""
    everyone = tuple(names.groups().values())
    editors = tuple(
        names.group(role) for role in CENTRE_ROLES if Action.REPLY_TEXT_SHARED in PERMISSIONS[role]
    )
    own = f"owner_id = {MY_USER}"
    out = [
        Policy("reply_text", "hotline_own", "ALL", everyone, own, own),
        Policy("reply_text", "hotline_shared_read", "SELECT", everyone, "owner_id IS NULL", None),
    ]
    if editors:
        shared = "owner_id IS NULL"
        out.append(Policy("reply_text", "hotline_shared", "ALL", editors, shared, shared))
    return out


def _own_user(login_prefix: str) -> str:
    """The condition on ``public."user" AS u`` that it is the signed-in person's: by the unique
    index on the user name (the login role is the prefix and the name)."""
    prefix = _literal(login_prefix)
    return (
        f"starts_with(session_user::text, {prefix}) "
        f"AND u.username = substr(session_user::text, {len(login_prefix) + 1})"
    )


# The helpers below are PL/pgSQL so that their query's plan is kept for the session: as SQL
# functions (not inlined: SECURITY DEFINER) each call site of a policy planned it again in every
# query, 0.1–0.2 ms each, eight of them in a department's list page (docs/server-security.md 4c).


def my_department_function(names: RoleNames) -> str:
    """``hotline_my_department()``: the department of the signed-in person's user (NULL for
    anyone else: no row of any case is then theirs). The login role is ``prefix.username``."""
    return f"""
CREATE OR REPLACE FUNCTION public.hotline_my_department()
RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $fn$
BEGIN
  RETURN (SELECT m.department_id FROM public.department_member AS m
          JOIN public."user" AS u ON u.id = m.user_id
          WHERE u.active AND u.role = 'department' AND {_own_user(names.prefix + ".")});
END
$fn$
"""


def my_user_function(names: RoleNames) -> str:
    """``hotline_my_user()``: the user of the signed-in person's login role (NULL for anyone
    else: no private row is then theirs)."""
    return f"""
CREATE OR REPLACE FUNCTION public.hotline_my_user()
RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $fn$
BEGIN
  RETURN (SELECT u.id FROM public."user" AS u WHERE {_own_user(names.prefix + ".")});
END
$fn$
"""


ASSISTED_FUNCTION = """
CREATE OR REPLACE FUNCTION public.hotline_assisted_cases()
RETURNS SETOF integer LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $fn$
  SELECT a.case_id FROM public.case_assist AS a
  WHERE a.department_id = (SELECT public.hotline_my_department()) AND NOT a.cancelled
$fn$
"""

# The lead department of a case as it is stored (the policies of case_assist and the check of
# an assisting department's change of the case ask it without reading the case as the reader).
CASE_DEPARTMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION public.hotline_case_department(p_case integer)
RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $fn$
  SELECT c.department_id FROM public."case" AS c WHERE c.id = p_case
$fn$
"""


def return_function(names: RoleNames) -> str:
    """``hotline_return_case(case, version, text, data)``: a department person's return (退回).

    The return leaves the case without a department, so the department's own policies refuse
    the row it writes; this function, run as the owner, checks what they would: the caller is
    a member of the case's department, the case is dispatched and unchanged since the caller
    read it (``version``), and today (China time) is not after the last day of the return
    window the case's newest dispatch recorded (``return_until`` in its timeline entry: the
    centre's working-day calendar and policy of that day, which the database does not have; a
    department cannot write a dispatch entry, :mod:`hotline.pg.server.department_guard`). A
    dispatch recorded before the date was kept has no window here (the service still checks
    it). The function writes the timeline entry and the case, and cancels the case's running
    co-handling parts (which a department may not change); the audit triggers record each
    with the caller's login role; the service appends its ``case.return`` entry.
    """
    login_prefix = names.prefix + "."
    return f"""
CREATE OR REPLACE FUNCTION public.hotline_return_case(
    p_case integer, p_version integer, p_text text, p_data text)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $fn$
DECLARE
  v_mine integer := public.hotline_my_department();
  v_case record;
  v_user record;
  v_at timestamp := clock_timestamp() AT TIME ZONE INTERVAL '+08:00';
  v_until text;
BEGIN
  SELECT c.id, c.department_id, c.status, c.version INTO v_case
    FROM public."case" AS c WHERE c.id = p_case FOR UPDATE;
  IF v_mine IS NULL OR NOT FOUND OR v_case.department_id IS DISTINCT FROM v_mine THEN
    RAISE EXCEPTION 'case % is not dispatched to your department', p_case
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF v_case.status <> 'dispatched' THEN
    RAISE EXCEPTION 'case % is not dispatched (%)', p_case, v_case.status
      USING ERRCODE = 'check_violation';
  END IF;
  IF v_case.version <> p_version THEN
    RAISE EXCEPTION 'case % was changed meanwhile', p_case USING ERRCODE = 'serialization_failure';
  END IF;
  SELECT e.data::jsonb ->> 'return_until' INTO v_until FROM public.case_event AS e
   WHERE e.case_id = p_case AND e.action = 'dispatch' ORDER BY e.id DESC LIMIT 1;
  IF v_until IS NOT NULL AND v_at::date > v_until::date THEN
    RAISE EXCEPTION 'the time to return case % ended on %', p_case, v_until
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT u.id, u.display_name INTO v_user FROM public."user" AS u
   WHERE '{login_prefix}' || u.username = session_user::text;
  INSERT INTO public.case_event (case_id, at, actor_name, user_id, action, internal, text, data)
  VALUES (p_case, v_at, left(coalesce(v_user.display_name, session_user::text), 40), v_user.id,
          'return', false, coalesce(p_text, ''), coalesce(p_data, '{{}}'));
  UPDATE public."case" SET department_id = NULL, deadline = NULL, dispatched_at = NULL,
         status = 'returned', version = v_case.version + 1, updated_at = v_at
   WHERE id = p_case;
  -- The co-handling parts end with the return, cancelled (hotline.cohandling.end_parts).
  UPDATE public.case_assist SET ended_at = v_at, cancelled = true
   WHERE case_id = p_case AND ended_at IS NULL;
  RETURN v_case.version + 1;
END
$fn$
"""


# A confidential flag of case_contact other than its case's would open the row to the wrong
# roles: the database keeps it equal to the case's, whoever writes either.
CONTACT_FLAG_FUNCTION = """
CREATE OR REPLACE FUNCTION public.hotline_contact_flag()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $fn$
BEGIN
  IF TG_TABLE_NAME = 'case_contact' THEN
    NEW.confidential := coalesce(
      (SELECT c.confidential FROM public."case" AS c WHERE c.id = NEW.case_id), NEW.confidential);
    RETURN NEW;
  END IF;
  UPDATE public.case_contact SET confidential = NEW.confidential
   WHERE case_id = NEW.id AND confidential IS DISTINCT FROM NEW.confidential;
  RETURN NULL;
END
$fn$
"""


# The newest ids the search function checks row by row before it asks the GIN index
# (hotline.pg.search.WINDOW, the same two steps as the program's own query).
SEARCH_WINDOW = 2000
# After it, a centre's search (every row may be read) takes a window of the size the first
# window's rate of matches needs, or all the rest through the GIN index when they are few
# (hotline.pg.search.next_window).
SEARCH_GIN_ROWS = 4000
SEARCH_GIN_FROM = 256_000
SEARCH_SIGNATURE = "hotline_search_cases(text[], integer, integer, boolean)"


def _visible_rule(names: RoleNames, table: str, variable: str, indent: str = "  ") -> str:
    """PL/pgSQL that collects in ``variable`` the USING clauses of the policies of ``table``
    that apply to the session's login role, as PostgreSQL picks them for a plain SELECT: the
    policies (permissive, so alternatives) whose role the login has the privileges of."""
    lines = []
    for policy in policies(names, {table}):
        if policy.table != table or policy.command not in ("ALL", "SELECT"):
            continue
        member = " OR ".join(
            f"pg_has_role(session_user, {_literal(role)}, 'USAGE')" for role in policy.roles
        )
        using = policy.using or "false"
        lines.append(
            f"{indent}IF {member} THEN\n"
            f"{indent}  {variable} := array_append({variable}, $rule${using}$rule$::text);\n"
            f"{indent}END IF;"
        )
    return "\n".join(lines)


def search_function(names: RoleNames) -> str:
    """``hotline_search_cases(tokens, before, limit, private)``: the ids of the cases whose
    search tokens hold every one of ``tokens``, newest first, below ``before`` (NULL: from
    the newest), at most ``limit``; with ``private`` also confidential cases whose real texts
    hold them (``case_private_search``).

    Asked as the reader, the token test (``tokens @>``) is not leakproof, so PostgreSQL checks
    a department's row policy on every row first and never uses the GIN index. This function
    runs as the owner (no row security: the index is used) and applies itself the USING
    clauses of the very policies of ``case_search`` and ``case_private_search`` that a plain
    SELECT of the caller's login role would get (generated from :func:`policies`, so with the
    same helper functions: ``hotline_my_department()``, ``hotline_assisted_cases()``): it
    never returns an id that role could not read in the index itself. The caller needs
    SELECT on ``case_search``, and for ``private`` on ``case_private_search.tokens`` (granted
    only with ``case.view_confidential``); else it is refused as the SELECT would be.

    The rows are read in windows of ids, newest first, each four times the last (2,000, then
    8,000, …) until ``limit`` are found: in each, every match from the GIN index, then the
    policy's test on those only. A common word stops in the first windows (a department's
    share of them is small, so one window is often not enough), a rare one costs a few index
    look-ups; never all the matches of a common word, nor a walk over every id. A word with
    few matches in all (fewer than ``SEARCH_GIN_ROWS`` expected from the first window, whoever's
    cases they are) takes all of them from the GIN index in the second step. A role that
    may read every row takes the windows the program takes without the function
    (:func:`hotline.pg.search.next_window`): sized by the first window's rate of matches, or
    all the rest from the GIN index when they are few.
    """
    return f"""
CREATE OR REPLACE FUNCTION public.hotline_search_cases(
    p_tokens text[], p_before integer, p_limit integer, p_private boolean)
RETURNS SETOF integer LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $fn$
DECLARE
  v_shared text[] := ARRAY[]::text[];
  v_private text[] := ARRAY[]::text[];
  v_rule text;
  v_top integer := p_before;
  v_low bigint;
  v_size bigint;
  v_scanned bigint;
  v_rate float8;
  v_matches bigint;
  v_ids integer[];
  v_more integer[];
BEGIN
  IF NOT has_table_privilege(session_user, 'public.case_search', 'SELECT') THEN
    RAISE EXCEPTION 'permission denied for table case_search'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_private AND NOT has_column_privilege(
      session_user, 'public.case_private_search', 'tokens', 'SELECT') THEN
    RAISE EXCEPTION 'permission denied for table case_private_search'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF coalesce(cardinality(p_tokens), 0) = 0 OR coalesce(p_limit, 0) <= 0 THEN
    RETURN;
  END IF;
{_visible_rule(names, "case_search", "v_shared")}
  v_rule := CASE WHEN 'true' = ANY (v_shared) THEN 'true'
                 WHEN cardinality(v_shared) = 0 THEN 'false'
                 ELSE '(' || array_to_string(v_shared, ') OR (') || ')' END;
  IF v_top IS NULL THEN
    SELECT max(case_id) + 1 INTO v_top FROM public.case_search;
  END IF;
  v_ids := ARRAY[]::integer[];
  v_size := {SEARCH_WINDOW};
  IF v_top IS NOT NULL THEN
    -- The newest ids first, checked row by row or through the index as the planner likes.
    v_low := greatest(v_top - v_size, -2147483648);
    IF v_rule = 'true' THEN
      EXECUTE
        'SELECT array(SELECT case_id FROM public.case_search WHERE case_id < $1 '
        'AND case_id >= $2 AND tokens @> $3 ORDER BY case_id DESC LIMIT $4)'
        INTO v_ids USING v_top, v_low::integer, p_tokens, p_limit;
    ELSE
      -- The policy is tested on the matches only; their number, whoever's, tells how
      -- common the word is (v_matches).
      EXECUTE format(
        'SELECT coalesce(array_agg(case_id ORDER BY case_id DESC) FILTER (WHERE %s), '
        'ARRAY[]::integer[]), count(*) FROM public.case_search WHERE case_id < $1 '
        'AND case_id >= $2 AND tokens @> $3', v_rule)
        INTO v_ids, v_matches USING v_top, v_low::integer, p_tokens;
    END IF;
    v_scanned := v_top - v_low;
    v_top := CASE WHEN v_low > 0 THEN v_low::integer END;
  END IF;
  WHILE v_top IS NOT NULL AND cardinality(v_ids) < p_limit LOOP
    IF v_rule = 'true' THEN
      -- Every row may be read: the windows the program takes (hotline.pg.search.next_window).
      v_rate := cardinality(v_ids)::float8 / v_scanned;
      v_size := greatest(
        ceil((p_limit - cardinality(v_ids)) / nullif(v_rate, 0) * 1.5), {SEARCH_WINDOW});
      IF v_rate = 0 OR v_rate * v_top <= {SEARCH_GIN_ROWS} OR v_size > {SEARCH_GIN_FROM}
          OR v_size >= v_top THEN
        v_size := 2147483647;
      END IF;
    ELSIF v_matches IS NOT NULL
        AND v_matches::float8 / v_scanned * v_top <= {SEARCH_GIN_ROWS} THEN
      -- Few matches in all (whoever's): all of them from the GIN index, the policy on each.
      v_size := 2147483647;
    ELSE
      v_size := least(v_size * 4, 2147483647);
    END IF;
    v_matches := NULL;
    v_scanned := v_scanned + v_size;
    v_low := greatest(v_top - v_size, -2147483648);
    -- OFFSET 0: every match of the window from the GIN index, then the newest of them.
    EXECUTE format(
      'SELECT array(SELECT case_id FROM (SELECT case_id FROM public.case_search '
      'WHERE tokens @> $1 AND case_id < $2 AND case_id >= $3 AND (%s) OFFSET 0) AS w '
      'ORDER BY case_id DESC LIMIT $4)', v_rule)
      INTO v_more USING p_tokens, v_top, v_low::integer, p_limit - cardinality(v_ids);
    v_ids := v_ids || v_more;
    v_top := CASE WHEN v_low > 0 THEN v_low::integer END;
  END LOOP;
  IF p_private THEN
{_visible_rule(names, "case_private_search", "v_private", "    ")}
    v_rule := CASE WHEN 'true' = ANY (v_private) THEN 'true'
                   WHEN cardinality(v_private) = 0 THEN 'false'
                   ELSE '(' || array_to_string(v_private, ') OR (') || ')' END;
    EXECUTE format(
      'SELECT array(SELECT case_id FROM public.case_private_search WHERE tokens @> $1 '
      'AND case_id < $2 AND (%s) ORDER BY case_id DESC LIMIT $3)', v_rule)
      INTO v_more USING p_tokens, coalesce(p_before, 2147483647), p_limit;
    v_ids := coalesce(v_ids, ARRAY[]::integer[]) || v_more;
  END IF;
  RETURN QUERY SELECT u.id FROM unnest(v_ids) AS u(id)
    GROUP BY u.id ORDER BY u.id DESC LIMIT p_limit;
END
$fn$
"""


# A bulk insert with its own ids (an import) moves the id sequence past them; setval needs
# UPDATE on the sequence, which would also let a person move it back (every later insert
# then failing). This moves it forward only, to the largest id, for a table the caller may
# insert into.
SEQUENCE_FUNCTION = """
CREATE OR REPLACE FUNCTION public.hotline_sequence_past_ids(p_table text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $fn$
DECLARE
  v_table regclass := to_regclass(format('public.%I', p_table));
  v_sequence text;
  v_max bigint;
  v_last bigint;
  v_called boolean;
BEGIN
  IF v_table IS NULL OR NOT has_any_column_privilege(session_user, v_table, 'INSERT') THEN
    RAISE EXCEPTION 'permission denied for table %', p_table
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  v_sequence := pg_get_serial_sequence(v_table::text, 'id');
  IF v_sequence IS NULL THEN
    RAISE EXCEPTION 'table % has no id sequence', p_table
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('SELECT max(id) FROM %s', v_table) INTO v_max;
  EXECUTE format('SELECT last_value, is_called FROM %s', v_sequence) INTO v_last, v_called;
  IF v_max > v_last OR (v_max = v_last AND NOT v_called) THEN
    PERFORM setval(v_sequence, v_max);
  END IF;
END
$fn$
"""


def functions(names: RoleNames) -> dict[str, str]:
    return {
        "hotline_sequence_past_ids": SEQUENCE_FUNCTION,
        "hotline_my_department": my_department_function(names),
        "hotline_my_user": my_user_function(names),
        "hotline_contact_flag": CONTACT_FLAG_FUNCTION,
        "hotline_assisted_cases": ASSISTED_FUNCTION,
        "hotline_case_department": CASE_DEPARTMENT_FUNCTION,
        "hotline_return_case": return_function(names),
        "hotline_search_cases": search_function(names),
        "hotline_department_guard": department_guard.guard_function(names),
    }


def triggers(tables: set[str]) -> dict[tuple[str, str], str]:
    guards = department_guard.triggers(tables)
    if "case_contact" not in tables:
        return guards
    return guards | {
        ("case_contact", "hotline_contact_flag"): (
            "CREATE TRIGGER hotline_contact_flag BEFORE INSERT OR UPDATE ON case_contact "
            "FOR EACH ROW EXECUTE FUNCTION public.hotline_contact_flag()"
        ),
        ("case", "hotline_contact_flag"): (
            'CREATE TRIGGER hotline_contact_flag AFTER UPDATE OF confidential ON "case" '
            "FOR EACH ROW EXECUTE FUNCTION public.hotline_contact_flag()"
        ),
    }
