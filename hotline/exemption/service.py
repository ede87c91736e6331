"""Assessing a case against the checklist, saving the assessment, dispatching an eligible case.

:func:`assess` checks the permission and the facts, settles first offense from the
enterprise's history (or an operator's override), and decides; with ``save`` it stores the
assessment with a timeline event and an audit entry in one transaction, bumping the case's
version through the same optimistic check as :mod:`hotline.workflow`. :func:`preview` is
the same decision without a database, for a form that updates as the operator types.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hotline import audit, clock, timeline, workflow
from hotline.db import write_transaction
from hotline.errors import NotFound, ValidationError
from hotline.exemption import assessments, history
from hotline.exemption.decision import decide
from hotline.exemption.facts import Facts, parse_facts
from hotline.exemption.history import NOT_CHECKED, HistoryCheck, Override
from hotline.exemption.items import Catalogue, CatalogueItem
from hotline.exemption.outcome import Decision, Outcome
from hotline.exemption.schema import Assessment
from hotline.exemption.store import catalogue_in_force, load_catalogue_version, version_id
from hotline.i18n import N_, _
from hotline.models import Case, Department
from hotline.permissions import Action, Actor
from hotline.search.index import CaseIndexUpdate
from hotline.storable import visible_text

log = logging.getLogger(__name__)

__all__ = [
    "Override",
    "Preview",
    "assess",
    "dispatch_recommendation",
    "dispatch_to_enforcement_body",
    "enforcement_department",
    "history_for_case",
    "preview",
]


@dataclass(frozen=True)
class Preview:
    """What a decision rests on: the facts as decided (first offense settled), the item and
    the history check, with the decision itself."""

    facts: Facts
    item: CatalogueItem | None
    check: HistoryCheck
    decision: Decision


def preview(
    facts_data: Mapping[str, Any],
    catalogue: Catalogue,
    check: HistoryCheck = NOT_CHECKED,
    override: Override | None = None,
    *,
    today: dt.date | None = None,
) -> Preview:
    """Validate, settle first offense, decide; no database. Raises ValidationError."""
    facts = parse_facts(facts_data, catalogue, today=today)
    item = catalogue.get(facts.item)
    settled = history.resolve(facts, check, override)
    return Preview(settled, item, check, decide(settled, item, today=today))


def _load_case(case_id: int, expected_version: int | None) -> Case:
    return workflow.load_for_change(case_id, expected_version)


def history_for_case(
    case_id: int | None, item_code: str | None, act_date: dt.date | None = None
) -> HistoryCheck:
    """The first-offense check for a case and item (what the panel shows beside the facts)."""
    if case_id is None:
        return history.check_case(None, None)
    case = _load_case(case_id, None)
    item = catalogue_in_force().get(item_code) if item_code else None
    return history.check_case(case, item, act_date=act_date)


def _evaluate(
    case: Case | None,
    facts_data: Mapping[str, Any],
    override: Override | None,
    today: dt.date | None,
) -> tuple[Catalogue, Preview]:
    catalogue = catalogue_in_force(today)
    facts = parse_facts(facts_data, catalogue, today=today)
    item = catalogue.get(facts.item)
    check = history.check_case(case, item, act_date=facts.act_date, today=today)
    settled = history.resolve(facts, check, override)
    return catalogue, Preview(settled, item, check, decide(settled, item, today=today))


def assess(
    actor: Actor,
    case_id: int | None,
    facts_data: Mapping[str, Any],
    *,
    override: Override | None = None,
    save: bool = False,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Decision:
    """The decision on ``facts_data`` (the JSON form of :class:`Facts`) for the case.

    With a case, its enterprise's history settles an unknown first offense. ``override``
    (needs ``exemption.override``) sets first offense with a written reason. ``save`` stores
    the assessment on the case (timeline, audit; an override gets an audit entry of its own);
    ``expected_version`` refuses the save when someone changed the case meanwhile. Invalid
    facts raise ValidationError and nothing is stored.
    """
    actor.require(Action.EXEMPTION_ASSESS)
    if override is not None:
        actor.require(Action.EXEMPTION_OVERRIDE)
        history.check_override(override)
    if not save:
        case = _load_case(case_id, None) if case_id is not None else None
        return _evaluate(case, facts_data, override, today)[1].decision
    if case_id is None:
        raise ValidationError.single("case", N_("保存评估须指定案件"))
    with write_transaction():
        case = _load_case(case_id, expected_version)
        catalogue, result = _evaluate(case, facts_data, override, today)
        _save(actor, case, catalogue, result, override)
    return result.decision


def _bump_version(case: Case) -> None:
    """A change of no state still makes other users' open forms out of date."""
    workflow.write_if_unchanged(case, {"version": case.version + 1, "updated_at": clock.now()})


def _insert(
    actor: Actor,
    case: Case,
    catalogue: Catalogue,
    result: Preview,
    override: Override | None,
) -> tuple[Assessment, dict[str, Any]]:
    """The assessment row and its timeline event; returns the row and the event's data."""
    decision, facts = result.decision, result.facts
    row = Assessment.create(
        case=case.id,
        catalogue=version_id(catalogue.version),
        item_code=facts.item,
        enterprise_uscc=history.case_uscc(case),
        act_date=facts.act_date,
        facts=json.dumps(facts.to_dict(), ensure_ascii=False),
        decision=json.dumps(decision.to_record(), ensure_ascii=False),
        outcome=decision.outcome.value,
        exempt=decision.exempt,
        mandatory=decision.mandatory,
        first_offense_source=facts.first_offense_source,
        override_reason=visible_text(override.reason) if override else None,
        assessed_by=actor.user_id,
        assessed_by_name=actor.name[:60],
        assessed_at=clock.now(),
    )
    if facts.item:
        text = _("{outcome}（清单 {version} 版 {code}）").format(
            outcome=decision.outcome.label, version=catalogue.version, code=facts.item
        )
    else:
        text = _("{outcome}（未选择清单事项）").format(outcome=decision.outcome.label)
    data = {
        "assessment": row.id,
        "outcome": decision.outcome.value,
        "mandatory": decision.mandatory,
        "item": facts.item,
        "item_name": result.item.violation if result.item is not None else None,
        "catalogue_version": catalogue.version,
        "first_offense_source": facts.first_offense_source,
        "override": row.override_reason,
    }
    timeline.add(case.id, actor, "exemption", text, data=data)
    return row, data


def _save(
    actor: Actor,
    case: Case,
    catalogue: Catalogue,
    result: Preview,
    override: Override | None,
) -> Assessment:
    """Inside the write transaction: version, row, event (search text kept current), audit."""
    with CaseIndexUpdate(case.id):  # the timeline text is part of the case's search text
        _bump_version(case)
        row, data = _insert(actor, case, catalogue, result, override)
    audit.record(
        actor,
        "case.exemption",
        "case",
        case.case_no,
        {**data, "before": {"version": case.version}, "after": {"version": case.version + 1}},
    )
    if override is not None:
        earlier = result.check.earlier
        audit.record(
            actor,
            "exemption.override",
            "case",
            case.case_no,
            {
                "assessment": row.id,
                "first_offense": override.first_offense,
                "reason": row.override_reason,
                "history": earlier.source if earlier else None,
            },
        )
    log.info("case %s: exemption assessed as %s", case.case_no, result.decision.outcome.value)
    return row


# Dispatching an eligible case -----------------------------------------------------------------


def enforcement_department(item: CatalogueItem) -> Department | None:
    """The active department that is the item's enforcement body (实施主体)."""
    department: Department | None = (
        Department.select()
        .where((Department.enforcement_body == item.body) & Department.active)
        .order_by(Department.id)
        .first()
    )
    return department


def _nature(decision: Decision) -> str:
    if decision.mandatory:
        return _("羁束，执法机关应当不予处罚")
    return _("裁量，由执法机关决定是否处罚")


def dispatch_recommendation(decision: Decision, item: CatalogueItem) -> str:
    """The note that goes with an eligible case to its enforcement body (active language)."""
    lines = [
        _("首错免罚评估建议（清单 {version} 版，事项 {code}）").format(
            version=item.catalogue_version or decision.catalogue_version or "", code=item.code
        ),
        _("违法行为：{violation}").format(violation=item.violation),
        _("违法依据：{provision}；处罚依据：{penalty}").format(
            provision=item.violated_provision, penalty=item.penalty_provision
        ),
        _("评估结论：{outcome}（{nature}）").format(
            outcome=decision.outcome.label, nature=_nature(decision)
        ),
        _("理由："),
    ]
    held = [r for r in decision.reasons if decision.grounds.get(r.ground) is True]
    for number, reason in enumerate(held or decision.reasons[:1], start=1):
        lines.append(
            _("{number}. {reason}依据：{basis}").format(
                number=number, reason=reason.text, basis=reason.basis_text
            )
        )
    if decision.outcome is Outcome.TIME_BARRED:
        advice = _("建议：该违法行为在法定期限内未被发现，依法不再给予行政处罚。")
    elif decision.mandatory:
        advice = _("建议：依法对该企业的上述违法行为不予行政处罚，并对当事人进行教育。")
    else:
        advice = _(
            "建议：上述情形符合“首错免罚”的条件，请依法裁量，可以不予行政处罚，并对当事人进行教育。"
        )
    lines.append(advice)
    lines.append(_("请在办理期限内将处理结果答复企业，并反馈热线。"))
    return "\n".join(lines)


def dispatch_to_enforcement_body(
    actor: Actor,
    case_id: int,
    *,
    note: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """Dispatch the case to the enforcement body of its latest (exempt) assessment.

    ``note`` replaces the recommendation text filled from the decision. Refused when the
    case has no saved assessment granting exemption, or no department is that body.
    """
    actor.require(Action.CASE_DISPATCH)
    saved = assessments.latest(case_id)
    if saved is None or not saved.decision.exempt:
        raise ValidationError.single("assessment", N_("案件没有可免罚的评估，不能按评估结论派单"))
    item = saved.item()
    if item is None:
        raise ValidationError.single("item", N_("评估没有对应的清单事项，无法确定实施主体"))
    department = enforcement_department(item)
    if department is None:
        raise ValidationError.single(
            "department", N_("没有实施主体为“{body}”的承办单位，请在系统设置中指定"), body=item.body
        )
    text = dispatch_recommendation(saved.decision, item) if note is None else note
    return workflow.dispatch(
        actor, case_id, department.id, note=text, expected_version=expected_version
    )


def catalogue_item(version: str, code: str) -> CatalogueItem:
    item = load_catalogue_version(version).get(code)
    if item is None:
        raise NotFound(
            N_("清单（{version} 版）中没有编号为 {code} 的事项"), version=version, code=code
        )
    return item
