"""Table privileges of each group role, generated from :data:`hotline.permissions.PERMISSIONS`.

:data:`ACTION_GRANTS` says which privileges each :class:`~hotline.permissions.Action` needs;
a group role gets the union over the actions its role may do, plus :data:`BASELINE`. Column
lists keep secrets out of reach: nobody reads ``user.password_hash``; only roles with
``case.view_confidential`` read the private search index; a note changes a case's
``version``/``updated_at`` and nothing else of it. Which rows of ``case_contact`` (the callers'
real contacts) and of a department's cases a group reads is row-level security's business
(:mod:`hotline.pg.server.policies`), generated from the same table.

Nobody is granted anything on the audit tables but SELECT: the triggers of
:mod:`hotline.pg.server.audit_sql` (running as the owner) append to them. Changing people goes
through the functions of :mod:`hotline.pg.server.people`, so no group may write ``user``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hotline.enums import Role
from hotline.permissions import PERMISSIONS, Action

SELECT, INSERT, UPDATE, DELETE = "SELECT", "INSERT", "UPDATE", "DELETE"
TABLE_PRIVILEGES = (SELECT, INSERT, UPDATE, DELETE, "TRUNCATE", "REFERENCES", "TRIGGER")

SECRET_USER_COLUMNS = ("password_hash",)


@dataclass(frozen=True)
class Grant:
    """``privileges`` on ``table``: on every column, on ``columns`` only, or on every column
    but ``except_columns`` (resolved against the table's columns when granted)."""

    table: str
    privileges: tuple[str, ...]
    columns: tuple[str, ...] | None = None
    except_columns: tuple[str, ...] = ()


def _g(table: str, *privileges: str, only: Iterable[str] = (), but: Iterable[str] = ()) -> Grant:
    only = tuple(only)
    return Grant(table, tuple(privileges), only or None, tuple(but))


# Reference data every signed-in person reads, and the audit chain's head (reports print it).
BASELINE: tuple[Grant, ...] = (
    _g("schema_version", SELECT),
    _g("setting", SELECT),
    _g("department", SELECT),
    _g("district", SELECT),
    _g("holiday", SELECT),
    _g("exemption_catalogue", SELECT),
    _g("enterprise_former_name", SELECT),
    _g("department_member", SELECT),
    _g("user", SELECT, but=SECRET_USER_COLUMNS),
    _g("audit_head", SELECT),
    # Reply texts: everyone keeps their own, the shared ones are read by all and written by
    # the editors of the shared texts (row-level security, policies.py).
    _g("reply_text", SELECT, INSERT, UPDATE, DELETE),
    # The knowledge base: every signed-in person reads it (drafts are kept to editors by the
    # services); the uses by cases feed the weekly report.
    _g("knowledge_article", SELECT),
    _g("knowledge_version", SELECT),
    _g("knowledge_token", SELECT),
    _g("knowledge_synonym", SELECT),
    _g("case_knowledge", SELECT),
)

_READ_CASES = (
    _g("case", SELECT),
    _g("case_contact", SELECT),  # rows: a confidential caller only with the right (policies)
    _g("case_event", SELECT),
    _g("enterprise", SELECT),
    _g("case_search", SELECT),
    _g("enterprise_search", SELECT),
    _g("exemption_assessment", SELECT),
    _g("exemption_penalty", SELECT),
    _g("case_handling", SELECT),
    _g("supervision_notice", SELECT),
    _g("case_assist", SELECT),
    _g("attachment", SELECT),
    _g("case_call", SELECT),
)
# Every change of a case rewrites its row, adds to its timeline and re-indexes it; the
# department stage (acceptance, the reply's outcome, supervision answers) is kept beside it.
_CHANGE_CASE = (
    _g("case", SELECT, UPDATE),
    _g("case_event", INSERT),
    _g("case_handling", SELECT, INSERT, UPDATE),
    _g("supervision_notice", SELECT, UPDATE),
    _g("case_assist", SELECT, UPDATE),
    _g("case_search", INSERT, UPDATE, DELETE),
    _g("case_private_search", SELECT, INSERT, UPDATE, DELETE),
)
# What intake recorded (corrected only by CASE_CORRECT, set by dispatch's own roles): the steps
# a department or a manager takes never write these columns.
CLASSIFICATION_COLUMNS = (
    "case_no",
    "channel",
    "kind",
    "category",
    "urgency",
    "district_id",
    "enterprise_id",
    "contact_name_masked",
    "contact_phone_masked",
    "subject",
    "description",
    "request",
    "confidential",
    "received_at",
    "registered_at",
    "registered_by_id",
    "registered_by_name",
    "repeat_of_id",
)
# A step of the department stage (accept, return, extension request, reply): the case's
# state columns, its timeline, its index and the stage beside it.
_CASE_STEP = (
    _g("case", SELECT),
    _g("case", UPDATE, but=CLASSIFICATION_COLUMNS),
    _g("case_event", INSERT),
    _g("case_search", INSERT, UPDATE, DELETE),
    _g("case_private_search", SELECT, only=("case_id",)),
    _g("case_private_search", INSERT, UPDATE, DELETE),
    _g("case_handling", SELECT, INSERT, UPDATE),
    _g("supervision_notice", SELECT, UPDATE),
    # A reply ends the co-handling parts, a part's answer is written into its row.
    _g("case_assist", SELECT, UPDATE),
)
# What a note does to a case (its version and time, nothing else), and what a manager's
# supervision notice or disclosure of the caller does beside it.
_TOUCH_CASE = (
    _g("case", UPDATE, only=("version", "updated_at")),
    _g("case_call", INSERT),  # a caller's follow-up note keeps its call
    _g("case_event", INSERT),
    _g("case_search", INSERT, UPDATE, DELETE),
    _g("case_private_search", SELECT, only=("case_id",)),
    _g("case_private_search", INSERT, UPDATE, DELETE),
)
# The caller as recorded (intake, corrections, imports): its masked forms go on the case.
_WRITE_CONTACT = _g("case_contact", SELECT, INSERT, UPDATE)
_NEW_CASE = (
    *_CHANGE_CASE,
    _WRITE_CONTACT,
    _g("case", INSERT),
    _g("case_call", INSERT),
    _g("case_counter", SELECT, INSERT, UPDATE),
    _g("enterprise", INSERT, UPDATE),
    _g("enterprise_search", INSERT, UPDATE, DELETE),
    # A differing name for a credit code on file may be corrected at intake (the old one kept).
    _g("enterprise_former_name", INSERT),
)

ACTION_GRANTS: dict[Action, tuple[Grant, ...]] = {
    Action.CASE_VIEW: _READ_CASES,
    Action.CASE_VIEW_CONFIDENTIAL: (_g("case_private_search", SELECT),),
    # An operator flags a wrong or outdated article from the intake screen.
    Action.CASE_REGISTER: (*_NEW_CASE, _g("knowledge_flag", SELECT, INSERT)),
    Action.CASE_ANSWER_ON_SPOT: (*_CHANGE_CASE, _g("case_knowledge", INSERT)),
    Action.CASE_DISPATCH: (
        *_CHANGE_CASE,
        _g("exemption_assessment", INSERT),
        _g("case_assist", INSERT),  # the assisting departments' parts (会办)
    ),
    Action.CASE_RETURN: _CASE_STEP,
    Action.CASE_REQUEST_EXTENSION: _CASE_STEP,
    Action.CASE_DECIDE_EXTENSION: _CHANGE_CASE,
    Action.CASE_REPLY: _CASE_STEP,
    Action.CASE_CALLBACK: _CHANGE_CASE,
    Action.CASE_CLOSE: _CHANGE_CASE,
    Action.CASE_REOPEN: _CHANGE_CASE,
    Action.CASE_WITHDRAW: _CHANGE_CASE,
    # A note adds to the timeline and touches the case's version and time, nothing else; the
    # search index is re-written (a note's text is searchable), the private one by key only.
    Action.CASE_ADD_NOTE: _TOUCH_CASE,
    Action.CASE_CORRECT: (
        *_CHANGE_CASE,
        _WRITE_CONTACT,
        _g("enterprise", INSERT, UPDATE),
        _g("enterprise_search", INSERT, UPDATE, DELETE),
    ),
    Action.CASE_CORRECT_CLOSED: _CHANGE_CASE,
    Action.CASE_EXPORT: _READ_CASES,
    Action.CASE_IMPORT: (
        *_NEW_CASE,
        _g("imported_row", SELECT, INSERT),
        _g("case_assist", INSERT),  # co-handling parts rebuilt from the timeline
    ),
    Action.EXEMPTION_ASSESS: (
        _g("exemption_assessment", INSERT),
        _g("exemption_penalty", INSERT),
    ),
    Action.EXEMPTION_OVERRIDE: (_g("exemption_assessment", INSERT),),
    Action.CATALOGUE_MANAGE: (_g("exemption_catalogue", INSERT, UPDATE, DELETE),),
    Action.REPORT_VIEW: _READ_CASES,
    Action.HANDOVER_WRITE: (_g("handover_note", SELECT, INSERT),),
    # Renaming (the old name kept) and merging duplicates: the duplicate's cases move to the
    # surviving record, which is re-indexed; the duplicate goes.
    Action.ENTERPRISE_MANAGE: (
        _g("enterprise", SELECT, UPDATE, DELETE),
        _g("enterprise_former_name", INSERT),
        # A merge moves the duplicate's former names to the record kept, and nothing else.
        _g("enterprise_former_name", UPDATE, only=("enterprise_id",)),
        _g("enterprise_search", INSERT, UPDATE, DELETE),
        *_CHANGE_CASE,
    ),
    # People are changed only through the SECURITY DEFINER functions (EXECUTE granted apart);
    # the department a department's person works for is recorded beside.
    Action.USER_MANAGE: (_g("department_member", INSERT, DELETE),),
    Action.SETTINGS_MANAGE: (
        _g("setting", INSERT, UPDATE, DELETE),
        _g("department", INSERT, UPDATE),
        _g("district", INSERT, UPDATE),
        _g("holiday", INSERT, UPDATE, DELETE),
    ),
    Action.AUDIT_VIEW: (_g("audit_entry", SELECT),),
    # The department stage (issue 16); which cases are a department's is row-level security's.
    Action.CASE_ACCEPT: _CASE_STEP,
    Action.CASE_SUPERVISE: (*_TOUCH_CASE, _g("supervision_notice", SELECT, INSERT)),
    Action.CASE_GRANT_CALLER: (*_TOUCH_CASE, _g("case_handling", SELECT, INSERT, UPDATE)),
    # Documents: added in chunks with the case's timeline entry; a look is audited only; a
    # removal keeps the row (a tombstone) and deletes its chunks.
    Action.ATTACHMENT_ADD: (
        _g("attachment", SELECT, INSERT, UPDATE),
        _g("attachment_chunk", SELECT, INSERT),
        _g("case", SELECT),
        _g("case_event", INSERT),
    ),
    Action.ATTACHMENT_VIEW: (_g("attachment", SELECT), _g("attachment_chunk", SELECT)),
    Action.ATTACHMENT_REMOVE: (
        _g("attachment", SELECT, UPDATE),
        _g("attachment_chunk", SELECT, DELETE),
        _g("case_event", INSERT),
    ),
    Action.REPLY_TEXT_SHARED: (_g("reply_text", SELECT, INSERT, UPDATE, DELETE),),
    # Articles are written with their version history and search tokens; flags resolved.
    Action.KNOWLEDGE_EDIT: (
        _g("knowledge_article", INSERT, UPDATE),
        _g("knowledge_version", INSERT),
        _g("knowledge_token", INSERT, DELETE),
        _g("knowledge_synonym", INSERT, UPDATE, DELETE),
        _g("knowledge_flag", SELECT, INSERT, UPDATE),
        _g("case", SELECT, only=("id", "case_no")),
    ),
    # Backups of a server are the server's (pg_dump by its administrator), not a person's.
    Action.BACKUP: (),
}

# Sequences behind the tables a role may insert into.
SEQUENCES = {
    "case": "case_id_seq",
    "case_event": "case_event_id_seq",
    "case_call": "case_call_id_seq",
    "enterprise": "enterprise_id_seq",
    "handover_note": "handover_note_id_seq",
    "attachment": "attachment_id_seq",
    "supervision_notice": "supervision_notice_id_seq",
    "case_assist": "case_assist_id_seq",
    "attachment_chunk": "attachment_chunk_id_seq",
    "enterprise_former_name": "enterprise_former_name_id_seq",
    "exemption_catalogue": "exemption_catalogue_id_seq",
    "exemption_assessment": "exemption_assessment_id_seq",
    "exemption_penalty": "exemption_penalty_id_seq",
    "department": "department_id_seq",
    "reply_text": "reply_text_id_seq",
    "knowledge_article": "knowledge_article_id_seq",
    "knowledge_version": "knowledge_version_id_seq",
    "knowledge_synonym": "knowledge_synonym_id_seq",
    "knowledge_flag": "knowledge_flag_id_seq",
    "case_knowledge": "case_knowledge_id_seq",
}


def grants_for(role: Role | None) -> list[Grant]:
    """What the group of ``role`` is granted (``None``: the department group, baseline only)."""
    result = list(BASELINE)
    if role is not None:
        for action in sorted(PERMISSIONS[role]):
            result.extend(ACTION_GRANTS[action])
    return result


Privileges = set[tuple[str, str, str]]  # (table, column, privilege)


def expected(role: Role | None, columns: dict[str, list[str]]) -> Privileges:
    """Every (table, column, privilege) the group holds, columns resolved from ``columns``
    (table name → its columns)."""
    result: Privileges = set()
    for grant in grants_for(role):
        table_columns = columns.get(grant.table)
        if table_columns is None:
            continue  # a table a later migration adds
        chosen = grant.columns or [c for c in table_columns if c not in grant.except_columns]
        for privilege in grant.privileges:
            result.update((grant.table, column, privilege) for column in chosen)
    return result


def table_columns(cur: Any) -> dict[str, list[str]]:
    """The tables of the ``public`` schema and their columns, in order."""
    cur.execute(
        "SELECT c.relname, a.attname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname, a.attnum"
    )
    result: dict[str, list[str]] = {}
    for table, column in cur.fetchall():
        result.setdefault(table, []).append(column)
    return result


def actual(cur: Any, group: str, columns: dict[str, list[str]]) -> Privileges:
    """What ``group`` may do now, column by column (its own grants and those of PUBLIC)."""
    result: Privileges = set()
    for table, names in columns.items():
        for privilege in (SELECT, INSERT, UPDATE, "REFERENCES"):
            cur.execute(
                "SELECT a FROM unnest(%s::text[]) AS a "
                "WHERE has_column_privilege(%s, format('public.%%I', %s::text), a, %s)",
                (names, group, table, privilege),
            )
            result.update((table, row[0], privilege) for row in cur.fetchall())
        for privilege in (DELETE, "TRUNCATE", "TRIGGER"):
            cur.execute(
                "SELECT has_table_privilege(%s, format('public.%%I', %s::text), %s)",
                (group, table, privilege),
            )
            if cur.fetchone()[0]:
                result.update((table, column, privilege) for column in names)
    return result


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def statements(group: str, role: Role | None, columns: dict[str, list[str]]) -> list[str]:
    """The REVOKEs and GRANTs that give ``group`` exactly its privileges (run as the owner)."""
    out = [f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {_quoted(group)}"]
    out.append(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {_quoted(group)}")
    # Merge: one GRANT per table and privilege, on the whole table or on a column list.
    wanted: dict[tuple[str, str], set[str]] = {}
    for table, column, privilege in expected(role, columns):
        wanted.setdefault((table, privilege), set()).add(column)
    sequences: set[str] = set()
    for (table, privilege), chosen in sorted(wanted.items()):
        if privilege in (DELETE, "TRUNCATE", "TRIGGER") or set(columns[table]) <= chosen:
            out.append(f"GRANT {privilege} ON {_quoted(table)} TO {_quoted(group)}")
        else:
            listed = ", ".join(_quoted(c) for c in columns[table] if c in chosen)
            out.append(f"GRANT {privilege} ({listed}) ON {_quoted(table)} TO {_quoted(group)}")
        if privilege == INSERT and table in SEQUENCES:
            sequences.add(SEQUENCES[table])
    for sequence in sorted(sequences):
        out.append(f"GRANT USAGE ON SEQUENCE {_quoted(sequence)} TO {_quoted(group)}")
    return out
