"""First offense from the database: earlier exemptions and recorded penalties of an enterprise.

An enterprise (known by its 统一社会信用代码) is not a first offender on an item when, inside
the item's look-back window, it was already granted an exemption on that item in another
case, or was penalised for it (a :class:`PenaltyRecord`). The window ends on the day of the
act being assessed (today when that is unknown) and reaches back ``lookback_days``; an
earlier record dates from its act (or, without one, the day it was assessed).

Not counted: the case itself, and another case's assessment of an act on the same day (the
same act reported twice). Cases flagged as repeats are counted: a second offense in the same
category is flagged too, and the operator sees the earlier case and may override.

:func:`resolve` applies what was found to the facts: unknown ``first_offense`` becomes false
with the earlier case as its source. Saying "first offense" against a record found, or any
other answer than the record gives, is an override and needs a written reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from peewee import JOIN

from hotline import audit, clock
from hotline.db import write_transaction
from hotline.errors import MSG_TOO_LONG, NotFound, Problems, ValidationError
from hotline.exemption.facts import Facts
from hotline.exemption.items import CatalogueItem
from hotline.exemption.outcome import Outcome
from hotline.exemption.schema import Assessment, CatalogueVersion, PenaltyRecord
from hotline.i18n import N_, _, format_date
from hotline.models import Case, Enterprise
from hotline.permissions import Action, Actor
from hotline.storable import MSG_CONTROL, has_control_characters, visible_text
from hotline.validation import normalize_uscc

log = logging.getLogger(__name__)

NOTE_LIMIT = 500
REASON_LIMIT = 1000
EXEMPT_OUTCOMES = [o.value for o in Outcome if o.exempt]


@dataclass(frozen=True)
class EarlierOffense:
    """An earlier exemption granted (``assessment``) or penalty imposed (``penalty``)."""

    kind: str
    on: dt.date
    case_no: str | None = None
    outcome: str | None = None
    note: str = ""

    @property
    def source(self) -> str:
        """What the decision cites: the earlier case number, else the penalty's date."""
        if self.case_no:
            return self.case_no
        return _("行政处罚记录（{date}）").format(date=self.on.isoformat())

    @property
    def text(self) -> str:
        if self.kind == "assessment":
            outcome = Outcome(self.outcome).label if self.outcome else ""
            return _("案件 {case_no}（违法行为日期 {date}）已评估为“{outcome}”").format(
                case_no=self.case_no or "", date=format_date(self.on), outcome=outcome
            )
        if self.case_no:
            return _("{date} 因同一事项受到行政处罚（案件 {case_no}）{note}").format(
                date=format_date(self.on), case_no=self.case_no, note=self.note
            )
        return _("{date} 因同一事项受到行政处罚 {note}").format(
            date=format_date(self.on), note=self.note
        )


@dataclass(frozen=True)
class HistoryCheck:
    """The result of looking an enterprise up: whether it could be done, and what was found."""

    checked: bool
    earlier: EarlierOffense | None = None
    reason: str | None = None  # message id: why the database was not consulted
    window_start: dt.date | None = None
    reference: dt.date | None = None

    @property
    def found(self) -> bool:
        return self.earlier is not None

    @property
    def text(self) -> str:
        if not self.checked:
            return _(self.reason or N_("未查询历史记录"))
        if self.earlier is not None:
            return _("不是初次违法：{record}").format(record=self.earlier.text)
        return _("{start} 至 {end} 期间，未发现该企业同一事项的免罚或处罚记录").format(
            start=format_date(self.window_start), end=format_date(self.reference)
        )


NOT_CHECKED = HistoryCheck(False, reason=N_("未查询历史记录"))


@dataclass(frozen=True)
class Override:
    """An operator's own finding on first offense, against or without the database's."""

    reason: str
    first_offense: bool = True


def find_earlier(
    uscc: str,
    item: CatalogueItem,
    *,
    act_date: dt.date | None = None,
    today: dt.date | None = None,
    exclude_case_ids: Iterable[int] = (),
) -> HistoryCheck:
    """Look for an earlier exemption or penalty of ``uscc`` on ``item`` inside its window."""
    reference = act_date or today or clock.today()
    start = reference - dt.timedelta(days=item.lookback_days)
    excluded = set(exclude_case_ids)
    found: list[EarlierOffense] = []
    query = (
        Assessment.select(Assessment, Case.case_no.alias("case_number"))
        .join(Case)
        .where(
            (Assessment.enterprise_uscc == uscc)
            & (Assessment.item_code == item.code)
            & Assessment.outcome.in_(EXEMPT_OUTCOMES)
        )
        .objects()
    )
    for row in query:
        if row.case_id in excluded:
            continue
        on = clock.as_date(row.act_date) if row.act_date else clock.as_date(row.assessed_at)
        if act_date is not None and row.act_date and on == act_date:
            continue  # the same act, assessed in another case
        if start <= on <= reference:
            # case_number: the alias selected above, set on each row by objects().
            case_number = row.case_number  # type: ignore[attr-defined]
            found.append(EarlierOffense("assessment", on, case_number, row.outcome))
    penalties = (
        PenaltyRecord.select(PenaltyRecord, Case.case_no.alias("case_number"))
        .join(Case, JOIN.LEFT_OUTER)
        .where((PenaltyRecord.enterprise_uscc == uscc) & (PenaltyRecord.item_code == item.code))
        .objects()
    )
    for penalty in penalties:
        on = clock.as_date(penalty.decided_on)
        if start <= on <= reference:
            case_number = penalty.case_number  # type: ignore[attr-defined]
            found.append(EarlierOffense("penalty", on, case_number, None, penalty.note))
    earlier = max(found, key=lambda e: (e.on, e.kind == "penalty")) if found else None
    return HistoryCheck(True, earlier, window_start=start, reference=reference)


def case_uscc(case: Case) -> str | None:
    if not case.enterprise_id:
        return None
    enterprise = Enterprise.get_or_none(Enterprise.id == case.enterprise_id)
    return enterprise.uscc if enterprise and enterprise.uscc else None


def check_case(
    case: Case | None,
    item: CatalogueItem | None,
    *,
    act_date: dt.date | None = None,
    today: dt.date | None = None,
) -> HistoryCheck:
    """The history check for ``case`` (None: facts given without a case)."""
    if case is None:
        return HistoryCheck(False, reason=N_("未指定案件，未查询企业的历史记录"))
    if item is None:
        return HistoryCheck(False, reason=N_("未选择清单事项，未查询历史记录"))
    uscc = case_uscc(case)
    if not uscc:
        return HistoryCheck(False, reason=N_("案件企业没有统一社会信用代码，无法查询历史记录"))
    return find_earlier(uscc, item, act_date=act_date, today=today, exclude_case_ids=(case.id,))


def override_source(override: Override) -> str:
    return _("人工认定：{reason}").format(reason=override.reason.strip())


def check_override(override: Override | None) -> None:
    """Refuse an override without a reason (or with one far too long)."""
    if override is None:
        return
    reason = visible_text(override.reason) if isinstance(override.reason, str) else ""
    if not reason:
        raise ValidationError.single("override_reason", N_("改变初次违法的认定须写明理由"))
    if len(reason) > REASON_LIMIT:
        raise ValidationError.single(
            "override_reason", MSG_TOO_LONG, limit=REASON_LIMIT, length=len(reason)
        )
    if has_control_characters(reason):
        raise ValidationError.single("override_reason", MSG_CONTROL)


def resolve(facts: Facts, check: HistoryCheck, override: Override | None = None) -> Facts:
    """The facts with first offense settled by the override, else by the history found.

    Raises ValidationError when the facts say "first offense" against a record found and no
    override (with its reason) was given.
    """
    if override is not None:
        check_override(override)
        return replace(
            facts,
            first_offense=override.first_offense,
            first_offense_source=override_source(override),
        )
    earlier = check.earlier
    if earlier is None:
        return facts
    if facts.first_offense is None:
        return replace(facts, first_offense=False, first_offense_source=earlier.source)
    if facts.first_offense is True:
        raise ValidationError.single(
            "first_offense",
            N_("该企业在首违回溯期内已有同一事项的记录（{source}）；认定为初次违法须写明理由"),
            source=earlier.source,
        )
    if not facts.first_offense_source:
        return replace(facts, first_offense_source=earlier.source)
    return facts


def record_penalty(
    actor: Actor,
    uscc: str,
    item_code: str,
    decided_on: dt.date | str,
    *,
    case_no: str | None = None,
    note: str = "",
) -> PenaltyRecord:
    """Record a penalty an enforcement body imposed for a listed item (audited)."""
    actor.require(Action.EXEMPTION_ASSESS)
    problems = Problems()
    code = ""
    try:
        code = normalize_uscc(uscc)
    except ValueError as exc:
        problems.add("uscc", str(exc))
    item = visible_text(item_code)
    if not item:
        problems.add("item", N_("此项必填"))
    day: dt.date | None = None
    try:
        day = clock.as_date(decided_on)
    except ValueError:
        problems.add("decided_on", N_("日期格式不正确，应为 YYYY-MM-DD"))
    if day is not None and day > clock.today():
        problems.add(
            "decided_on", N_("日期不能晚于今天（{today}）"), today=clock.today().isoformat()
        )
    text = (note or "").strip()
    problems.too_long("note", text, NOTE_LIMIT)
    problems.raise_if_any()
    assert day is not None
    with write_transaction():
        if item and not _item_known(item):
            raise ValidationError.single(
                "item", N_("任何版本的清单中都没有编号为 {code} 的事项"), code=item
            )
        case = None
        if case_no:
            case = Case.get_or_none(Case.case_no == case_no.strip())
            if case is None:
                raise NotFound(N_("没有编号为 {case_no} 的案件"), case_no=case_no)
        record = PenaltyRecord.create(
            enterprise_uscc=code,
            item_code=item,
            decided_on=day,
            case=case,
            note=text,
            recorded_by_name=actor.name[:60],
            recorded_at=clock.now(),
        )
        audit.record(
            actor,
            "exemption.penalty_record",
            "enterprise",
            code,
            {
                "item": item,
                "decided_on": day.isoformat(),
                "case": case.case_no if case else None,
                "note": text,
            },
        )
    return record


def _item_known(code: str) -> bool:
    from hotline.exemption.store import _catalogue_of

    return any(_catalogue_of(row).get(code) is not None for row in CatalogueVersion.select())
