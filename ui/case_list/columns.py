"""The columns of the case list: their numbers, headers, sort keys and how a cell looks."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from hotline import clock, deadlines
from hotline.case_queries import CaseRow
from hotline.deadlines import DeadlineState
from hotline.enums import Category, Kind, Status, Urgency
from hotline.i18n import N_, _, current_locale, format_date, format_datetime
from ui.common import icons

(
    COL_CASE_NO,
    COL_RECEIVED,
    COL_KIND,
    COL_CATEGORY,
    COL_URGENCY,
    COL_STATUS,
    COL_SUBJECT,
    COL_ENTERPRISE,
    COL_DISTRICT,
    COL_DEPARTMENT,
    COL_DEADLINE,
    COL_CONTACT,
    COL_REPLIED,
    COL_WAITED,
) = range(14)

# Shown only in the 待回访 view (the window hides them elsewhere): since when it waits.
CALLBACK_COLUMNS = (COL_REPLIED, COL_WAITED)

# (header, sort key of case_queries.SORTS or None when the column cannot be sorted)
COLUMNS: list[tuple[str, str | None]] = [
    (N_("案件编号"), "case_no"),
    (N_("受理时间"), "received_at"),
    (N_("类型"), "kind"),
    (N_("类别"), "category"),
    (N_("紧急"), None),
    (N_("状态"), "status"),
    (N_("主题"), None),
    (N_("企业"), None),
    (N_("区县"), "district"),
    (N_("承办单位"), None),
    (N_("办理期限"), "deadline"),
    (N_("联系电话"), None),
    (N_("答复时间"), None),
    (N_("已等待"), None),
]
# Stable names of the columns, for the remembered column choice (numbers may change).
KEYS = (
    "case_no",
    "received_at",
    "kind",
    "category",
    "urgency",
    "status",
    "subject",
    "enterprise",
    "district",
    "department",
    "deadline",
    "contact",
    "replied_at",
    "waited",
)
ALWAYS_SHOWN = frozenset({COL_CASE_NO})
MSG_NOT_SORTABLE = N_(
    "此列不能排序（没有可快速排序的索引）；可按案件编号、受理时间、类型、类别、状态、区县或办理期限排序"
)
MSG_DISTRICT_ORDER = N_("按行政区划代码排序")


# Columns whose texts are long and free (they give way and elide, with a tooltip); the others
# are always as wide as their longest possible text in the user's language.
LONG_TEXT_COLUMNS = (COL_SUBJECT, COL_ENTERPRISE, COL_DEPARTMENT, COL_DISTRICT)
_WIDE_MOMENT = dt.datetime(2026, 12, 28, 22, 58)  # two-digit month, day, hour, minute


def sizing_texts(column: int) -> list[str]:
    """Every text a short column can show in the active language (for its width); the case
    number, whose values come only from data, returns none."""
    if column == COL_KIND:
        return [member.label for member in Kind]
    if column == COL_CATEGORY:
        return [member.label for member in Category]
    if column == COL_URGENCY:
        return [Urgency.URGENT.label]
    if column == COL_STATUS:
        return [member.label for member in Status]
    if column in (COL_RECEIVED, COL_REPLIED):
        return [format_datetime(_WIDE_MOMENT)]
    if column == COL_WAITED:
        return [waited_text(_WIDE_MOMENT - dt.timedelta(days=99, hours=23), _WIDE_MOMENT)]
    if column == COL_DEADLINE:
        return [format_date(_WIDE_MOMENT.date().replace(month=month)) for month in range(1, 13)]
    return []


def display(row: CaseRow, column: int, districts: dict[str, str]) -> str:
    if column == COL_CASE_NO:
        return row.case_no
    if column == COL_RECEIVED:
        return format_datetime(row.received_at)
    if column == COL_KIND:
        return _label(Kind, row.kind)
    if column == COL_CATEGORY:
        return _label(Category, row.category)
    if column == COL_URGENCY:  # only urgent cases say so: less noise in the list
        return _label(Urgency, row.urgency) if row.urgency == _URGENT else ""
    if column == COL_STATUS:
        return _label(Status, row.status)
    if column == COL_SUBJECT:
        return row.subject
    if column == COL_ENTERPRISE:
        return row.enterprise_name
    if column == COL_DISTRICT:
        return districts.get(row.district, row.district)
    if column == COL_DEPARTMENT:
        return row.department
    if column == COL_DEADLINE:
        return format_date(row.deadline)
    if column == COL_CONTACT:  # masked in the row already where the role requires
        return row.contact_phone
    if column == COL_REPLIED:
        return format_datetime(row.replied_at) if row.replied_at else ""
    if column == COL_WAITED:
        return waited_text(row.replied_at, clock.now()) if row.replied_at else ""
    return ""


def waited_text(since: dt.datetime, now: dt.datetime) -> str:
    """How long a replied case has waited for its callback: "2 天 3 小时", "5 小时"."""
    hours = max(0, int((now - since).total_seconds() // 3600))
    days, hours = divmod(hours, 24)
    if days and hours:
        return _("{days} 天 {hours} 小时").format(days=days, hours=hours)
    if days:
        return _("{days} 天").format(days=days)
    if hours:
        return _("{hours} 小时").format(hours=hours)
    return _("不到 1 小时")


def foreground(row: CaseRow, column: int, state: str | None) -> Any:
    if column == COL_DEADLINE and state == "overdue":
        return icons.OVERDUE_TEXT
    if column == COL_DEADLINE and state == "due_today":
        return icons.DUE_TODAY_TEXT
    if column == COL_URGENCY and row.urgency == _URGENT:
        return icons.URGENT_TEXT
    if row.status in _FINISHED:
        return icons.MUTED_TEXT
    return None


def deadline_state(row: CaseRow, today: dt.date) -> str | None:
    """'overdue', 'due_today' or None: how the row stands out (deadlines.deadline_state)."""
    waiting = deadlines.waiting_for_answer(row.status)
    return _STANDS_OUT.get(deadlines.deadline_state(row.deadline, today, waiting=waiting))


_STANDS_OUT = {DeadlineState.OVERDUE: "overdue", DeadlineState.DUE_TODAY: "due_today"}
_URGENT = Urgency.URGENT.value
_FINISHED = frozenset({Status.CLOSED.value, Status.WITHDRAWN.value})


def tooltip(
    row: CaseRow, column: int, state: str | None, today: dt.date, districts: dict[str, str]
) -> str | None:
    if column == COL_DEADLINE and state == "overdue" and row.deadline:
        days = (today - row.deadline).days
        return _("已超期 {days} 天").format(days=days)
    if column == COL_DEADLINE and state == "due_today":
        return _("今日到期")
    if column in LONG_TEXT_COLUMNS:
        return display(row, column, districts)
    if column == COL_CONTACT and row.contact_name:
        return _("{name} {phone}").format(name=row.contact_name, phone=row.contact_phone)
    return None


@functools.lru_cache(maxsize=512)
def _cached_label(enum: Any, code: str, locale: str) -> str:
    try:
        return str(enum(code).label)
    except ValueError:
        return code


def _label(enum: Any, code: str) -> str:
    return _cached_label(enum, code, current_locale())
