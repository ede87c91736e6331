"""The database tables, as peewee models bound to one proxy opened by :mod:`hotline.db`.

Datetimes are naive China time (see :mod:`hotline.clock`). Enumerated columns hold the codes
of :mod:`hotline.enums`. Every case change bumps ``Case.version`` (optimistic locking).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self, cast

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    ModelSelect,
    SelectBase,
    TextField,
)

from hotline.db_proxy import RoutingProxy

# One thread may read from a replica for a while (hotline.read_replica).
database_proxy = RoutingProxy()

# Columns the signed-in role may not read, by table (a shared server with a login role per
# person, where column privileges keep secrets such as ``user.password_hash`` out of reach;
# set by :mod:`hotline.db` when it connects, empty on SQLite and on a single-login server).
# ``Model.select()`` without columns then reads every column but these.
unreadable_columns: dict[str, frozenset[str]] = {}


def tuples(query: SelectBase) -> Iterable[tuple[Any, ...]]:
    """``query.tuples()`` (the same query object), typed as the tuples it yields: peewee's
    stubs give ``.tuples()`` the type of the model rows."""
    return cast("Iterable[tuple[Any, ...]]", query.tuples())


class BaseModel(Model):
    # Each foreign key ``x`` also gives ``x_id``, the key without loading the row; peewee adds
    # it at run time and the models annotate it (``x_id: int``) for the type checker.

    class Meta:
        database = database_proxy
        legacy_table_names = False

    @classmethod
    def select(cls, *fields: Any) -> ModelSelect[Self]:
        hidden = unreadable_columns.get(cls._meta.table_name) if not fields else None
        if hidden:
            fields = tuple(f for f in cls._meta.sorted_fields if f.column_name not in hidden)
        return super().select(*fields)


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    description = CharField(max_length=200)
    applied_at = DateTimeField()
    program_version = CharField(max_length=20)


class Setting(BaseModel):
    """Administrator settings stored as JSON text (deadline policy and the like)."""

    key = CharField(max_length=64, primary_key=True)
    value = TextField()


class User(BaseModel):
    id = AutoField()
    username = CharField(max_length=40, unique=True)
    display_name = CharField(max_length=40)
    role = CharField(max_length=16)
    password_hash = CharField(max_length=255)
    active = BooleanField(default=True)
    failed_attempts = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    must_change_password = BooleanField(default=False)
    created_at = DateTimeField()
    last_login_at = DateTimeField(null=True)


class Department(BaseModel):
    """A department cases are dispatched to (承办单位)."""

    id = AutoField()
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=60, unique=True)
    # The enforcement body this department is, as the exemption catalogue names it.
    enforcement_body = CharField(max_length=60, null=True)
    phone = CharField(max_length=30, default="")
    active = BooleanField(default=True)


class District(BaseModel):
    code = CharField(max_length=6, primary_key=True)
    name = CharField(max_length=30, unique=True)
    active = BooleanField(default=True)


class Holiday(BaseModel):
    """An administrator-entered day off (or make-up workday) that overrides the calendar."""

    day = DateField(primary_key=True)
    is_workday = BooleanField(default=False)
    note = CharField(max_length=60, default="")


class Enterprise(BaseModel):
    id = AutoField()
    name = CharField(max_length=100, index=True)
    uscc = CharField(max_length=18, unique=True, null=True)
    district = ForeignKeyField(District, null=True, backref="enterprises", on_delete="SET NULL")
    district_id: str | None
    industry = CharField(max_length=40, default="")
    steward_name = CharField(max_length=40, default="")
    steward_phone = CharField(max_length=30, default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()


class EnterpriseFormerName(BaseModel):
    """A name an enterprise was registered under before (曾用名), and when it was used.

    Created by migration 10 (not in :data:`BASE_MODELS`: older backups do not have it).
    ``valid_from`` is unknown (None) for a name that was on file before it was corrected.
    """

    id = AutoField()
    enterprise = ForeignKeyField(
        Enterprise, backref="former_names", on_delete="CASCADE", index=True
    )
    enterprise_id: int
    name = CharField(max_length=100, index=True)
    valid_from = DateField(null=True)
    valid_to = DateField()
    recorded_at = DateTimeField()
    recorded_by = CharField(max_length=60)
    reason = TextField(default="")


class Case(BaseModel):
    id = AutoField()
    case_no = CharField(max_length=24, unique=True)
    channel = CharField(max_length=16)
    kind = CharField(max_length=16, index=True)
    category = CharField(max_length=24, index=True)
    urgency = CharField(max_length=8)
    district = ForeignKeyField(District, null=True, backref="cases", on_delete="SET NULL")
    district_id: str | None
    enterprise = ForeignKeyField(Enterprise, null=True, backref="cases", on_delete="SET NULL")
    enterprise_id: int | None
    # The caller's name and phone as roles without the right read them (张**, 138****1234),
    # computed by hotline.masking when written; the real ones are in ``case_contact``
    # (migration 19; the base schema called these columns contact_name/contact_phone).
    contact_name_masked = CharField(max_length=40, default="")
    contact_phone_masked = CharField(max_length=30, default="")
    subject = CharField(max_length=100)
    description = TextField()
    request = TextField(default="")
    confidential = BooleanField(default=False)
    status = CharField(max_length=16)
    received_at = DateTimeField(index=True)
    registered_at = DateTimeField()
    registered_by = ForeignKeyField(User, null=True, backref="registered_cases")
    registered_by_id: int | None
    registered_by_name = CharField(max_length=40)
    department = ForeignKeyField(Department, null=True, backref="cases")
    department_id: int | None
    dispatched_at = DateTimeField(null=True)
    deadline = DateField(null=True)
    # The legal ceiling (30 days from receipt, once extendable by 30): no deadline goes past it.
    ceiling = DateField(null=True)
    extension_status = CharField(max_length=12, null=True)
    extension_until = DateField(null=True)
    extension_reason = TextField(null=True)
    extended = BooleanField(default=False)
    handled_at = DateTimeField(null=True)
    reply = TextField(null=True)
    callback_at = DateTimeField(null=True)
    satisfaction = CharField(max_length=24, null=True)
    callback_comment = TextField(null=True)
    closed_at = DateTimeField(null=True)
    round = IntegerField(default=1)
    repeat_of = ForeignKeyField("self", null=True, backref="repeats", on_delete="SET NULL")
    repeat_of_id: int | None
    repeats: ModelSelect[Case]  # the backref of repeat_of
    version = IntegerField(default=1)
    updated_at = DateTimeField()

    class Meta:
        indexes = (
            (("status", "deadline"), False),
            (("department", "status"), False),
            (("enterprise", "category"), False),
            (("registered_by", "status"), False),
        )


class CaseEvent(BaseModel):
    """One entry of a case's timeline."""

    id = AutoField()
    case = ForeignKeyField(Case, backref="events", on_delete="CASCADE")
    case_id: int
    at = DateTimeField()
    actor_name = CharField(max_length=40)
    user = ForeignKeyField(User, null=True)
    user_id: int | None
    action = CharField(max_length=24)
    internal = BooleanField(default=False)
    text = TextField(default="")
    data = TextField(default="{}")

    class Meta:
        indexes = ((("case", "id"), False),)


class CaseCounter(BaseModel):
    """The last sequence number handed out for a day's case numbers."""

    day = CharField(max_length=8, primary_key=True)
    last = IntegerField()


class AuditEntry(BaseModel):
    """Append-only log; each entry's hash covers its content and the previous entry's hash."""

    id = AutoField()
    at = DateTimeField()
    actor = CharField(max_length=60)
    action = CharField(max_length=40)
    entity = CharField(max_length=24)
    entity_id = CharField(max_length=40, default="")
    detail = TextField(default="{}")
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)


class AuditHead(BaseModel):
    """One row holding the chain's last entry; updating it serialises writers of the chain."""

    id = IntegerField(primary_key=True)
    last_id = IntegerField(default=0)
    last_hash = CharField(max_length=64)


class HandoverNote(BaseModel):
    id = AutoField()
    author = ForeignKeyField(User, null=True)
    author_id: int | None
    author_name = CharField(max_length=40)
    written_at = DateTimeField(index=True)
    text = TextField()


class DepartmentMember(BaseModel):
    """The department a user of role 部门 works for (migration 14; one per user).

    A table of its own rather than a column of ``user``: the base schema of older versions
    stays as it was, so their backups still compare equal to their reference schema.
    """

    user = ForeignKeyField(User, primary_key=True, on_delete="CASCADE")
    user_id: int
    department = ForeignKeyField(Department, on_delete="CASCADE", index=True)
    department_id: int


class CaseHandling(BaseModel):
    """The department stage of a case beyond ``case``'s columns (migration 14): when the
    department accepted it (签收), what its reply said about the outcome, and whether the
    centre let the department see a confidential caller (granted per case)."""

    case = ForeignKeyField(Case, primary_key=True, on_delete="CASCADE")
    case_id: int
    accepted_at = DateTimeField(null=True)
    accepted_by = CharField(max_length=40, null=True)
    resolution = CharField(max_length=16, null=True)
    contact_made = BooleanField(null=True)
    caller_granted = BooleanField(default=False)


class SupervisionNotice(BaseModel):
    """A supervision notice (催办/督办) on a case, open until the department answers it."""

    id = AutoField()
    case = ForeignKeyField(Case, backref="supervision_notices", on_delete="CASCADE")
    case_id: int
    level = CharField(max_length=16)
    text = TextField()
    answer_by = DateField()
    issued_at = DateTimeField()
    issued_by = ForeignKeyField(User, null=True)
    issued_by_id: int | None
    issued_by_name = CharField(max_length=40)
    answered_at = DateTimeField(null=True)
    answered_by_name = CharField(max_length=40, null=True)
    answer = TextField(null=True)

    class Meta:
        indexes = (
            (("case", "answered_at"), False),
            (("issued_at",), False),
        )


class CaseCall(BaseModel):
    """A telephone call a case was registered from, or followed up on (migration 18): the
    telephone system's call id (to find its recording), when the call came in and when the
    case or follow-up note was saved. Not in :data:`BASE_MODELS` (older backups lack it)."""

    id = AutoField()
    case = ForeignKeyField(Case, backref="calls", on_delete="CASCADE", index=True)
    case_id: int
    purpose = CharField(max_length=12)  # "intake" or "follow_up" (hotline.callers)
    call_id = CharField(max_length=64, default="", index=True)
    line = CharField(max_length=32, default="")
    extension = CharField(max_length=16, default="")
    call_at = DateTimeField()
    saved_at = DateTimeField(index=True)


class CaseAssist(BaseModel):
    """An assisting department of a case (会办, migration 15): its part of the answer, due by
    its own deadline, goes to the lead department (``case.department``); the lead's reply
    ends the department stage. A return, a new dispatch or a second round cancels the parts
    still running (``cancelled``); the row stays, with what was answered, for the record."""

    id = AutoField()
    case = ForeignKeyField(Case, backref="assists", on_delete="CASCADE")
    case_id: int
    department = ForeignKeyField(Department, on_delete="CASCADE")
    department_id: int
    round = IntegerField(default=1)
    assigned_at = DateTimeField()
    deadline = DateField()
    answered_at = DateTimeField(null=True)
    answered_by_name = CharField(max_length=40, null=True)
    answer = TextField(null=True)
    ended_at = DateTimeField(null=True)  # the lead replied, or the part was cancelled
    cancelled = BooleanField(default=False)

    class Meta:
        table_name = "case_assist"
        indexes = (
            (("case", "department"), False),
            (("department", "ended_at"), False),
        )


class CaseContact(BaseModel):
    """A case's caller as recorded (migration 19): a table of its own so that a shared server
    lets only roles with ``case.view_confidential`` read a confidential caller (row-level
    security, docs/server-security.md section 4). ``confidential`` repeats the case's flag
    for the server's policy; :mod:`hotline.contacts` writes both together."""

    case = ForeignKeyField(Case, primary_key=True, on_delete="CASCADE")
    case_id: int
    confidential = BooleanField(default=False)
    contact_name = CharField(max_length=40, default="")
    contact_phone = CharField(max_length=30, default="")


BASE_MODELS: list[type[BaseModel]] = [
    SchemaVersion,
    Setting,
    User,
    Department,
    District,
    Holiday,
    Enterprise,
    Case,
    CaseEvent,
    CaseCounter,
    AuditEntry,
    AuditHead,
    HandoverNote,
]
