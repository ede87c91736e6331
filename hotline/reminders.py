"""Reminders: the small work queues that need a user now, and what is new in them.

Each reminder is one of the saved case views (:data:`hotline.case_queries.VIEWS`), so the
count beside the view, the count in the status strip and the cases a notification speaks of
are the same cases, chosen by the same conditions (the deadline ones by
:func:`hotline.deadlines.state_condition`).

Who is reminded of what follows the permission table: a callback due reminds those who may
record callbacks, a returned case those who may dispatch it, an extension request those who
may decide it; deadlines today and tomorrow remind everyone who may see cases.

"New" is relative to the previous check of the same session: :func:`check` returns the ids it
saw (:class:`ReminderMarks`), the caller passes them back next time, and only cases that were
not in a queue then are new. The first check of a session only takes the marks: what was
already waiting at sign-in is shown by the counts, not announced as news.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hotline import case_queries, clock
from hotline.case_queries import CaseFilter
from hotline.enums import Role
from hotline.i18n import N_
from hotline.permissions import PERMISSIONS, Action

CALLBACKS = "awaiting_callback"
DUE_TODAY = "due_today"
DUE_TOMORROW = "due_tomorrow"
EXTENSIONS = "extension_requests"
RETURNED = "returned"
TO_ACCEPT = "to_accept"
SUPERVISED = "supervised"
ASSIST = "dept_assist"
ASSIST_ANSWERED = "assist_answered"
ASSIST_OVERDUE = "assist_overdue"

# Every reminder, in the order the status strip and a notification name them, with the
# permission that makes it a user's business.
KINDS: dict[str, Action] = {
    CALLBACKS: Action.CASE_CALLBACK,
    RETURNED: Action.CASE_DISPATCH,
    EXTENSIONS: Action.CASE_DECIDE_EXTENSION,
    DUE_TODAY: Action.CASE_VIEW,
    DUE_TOMORROW: Action.CASE_VIEW,
    TO_ACCEPT: Action.CASE_ACCEPT,  # a department: a newly dispatched case
    SUPERVISED: Action.CASE_ACCEPT,  # a department: a new supervision notice
    ASSIST: Action.CASE_ACCEPT,  # a department: a new part to answer (会办)
    ASSIST_ANSWERED: Action.CASE_ACCEPT,  # a lead department: a part came in
    ASSIST_OVERDUE: Action.CASE_SUPERVISE,  # the centre: a part past its deadline
}

# "{count} new …" in a notification, one line per kind.
NEW_LINES: dict[str, str] = {
    CALLBACKS: N_("新增待回访 {count} 件"),
    RETURNED: N_("新退回待重派 {count} 件"),
    EXTENSIONS: N_("新的延期申请待审批 {count} 件"),
    DUE_TODAY: N_("新增今日到期 {count} 件"),
    DUE_TOMORROW: N_("新增明日到期 {count} 件"),
    TO_ACCEPT: N_("新派来待签收 {count} 件"),
    SUPERVISED: N_("新的督办 {count} 件"),
    ASSIST: N_("新的会办 {count} 件"),
    ASSIST_ANSWERED: N_("新收到会办意见 {count} 件"),
    ASSIST_OVERDUE: N_("新增会办超期 {count} 件"),
}


def kinds_for(role: Role | str) -> tuple[str, ...]:
    """The reminders a user of ``role`` gets, in :data:`KINDS` order."""
    allowed = PERMISSIONS.get(Role(role), frozenset())
    return tuple(
        kind for kind, action in KINDS.items() if action in allowed and view_allowed(kind, role)
    )


def view_allowed(view: str, role: Role | str) -> bool:
    """Whether the saved view ``view`` is offered to ``role``: a department's desk has its
    own views (:data:`case_queries.DEPARTMENT_VIEWS`), which the centre does not; the
    extension requests are a queue for those who decide them (shift leads); every other
    view is for everyone."""
    if Role(role) is Role.DEPARTMENT:
        return view in case_queries.DEPARTMENT_VIEWS
    if view in case_queries.DEPARTMENT_ONLY_VIEWS:
        return False
    if view == EXTENSIONS:
        return Action.CASE_DECIDE_EXTENSION in PERMISSIONS.get(Role(role), frozenset())
    return True


def views_for(role: Role | str) -> list[str]:
    """The saved views a user of ``role`` is offered, in the order the panel shows them."""
    order = (
        case_queries.DEPARTMENT_VIEWS
        if Role(role) is Role.DEPARTMENT
        else tuple(case_queries.VIEWS)
    )
    return [view for view in order if view_allowed(view, role)]


@dataclass(frozen=True)
class ReminderMarks:
    """The cases each reminder held at a check: pass them to the next :func:`check`."""

    ids: dict[str, frozenset[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Reminders:
    counts: dict[str, int]  # per kind of the role, how many cases are waiting
    new: dict[str, tuple[int, ...]]  # per kind, the cases not there at the previous check
    marks: ReminderMarks  # for the next check
    checked_at: dt.datetime

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def any_new(self) -> bool:
        return any(self.new.values())

    def without(self, case_ids: set[int] | frozenset[int]) -> Reminders:
        """The same reminders with ``case_ids`` not counted as new (the user's own changes)."""
        new = {kind: tuple(i for i in ids if i not in case_ids) for kind, ids in self.new.items()}
        return Reminders(self.counts, new, self.marks, self.checked_at)


def check(role: Role | str, previous: ReminderMarks | None = None) -> Reminders:
    """The reminders of a user of ``role`` now; what is new since ``previous``."""
    counts: dict[str, int] = {}
    new: dict[str, tuple[int, ...]] = {}
    marks: dict[str, frozenset[int]] = {}
    for kind in kinds_for(role):
        ids = case_queries.case_ids(CaseFilter(view=kind))
        counts[kind] = len(ids)
        marks[kind] = ids
        before = None if previous is None else previous.ids.get(kind)
        new[kind] = () if before is None else tuple(sorted(ids - before))
    return Reminders(counts, new, ReminderMarks(marks), clock.now())
