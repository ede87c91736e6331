"""Reading saved assessments back: a case's latest, its list, and the week's counts.

A stored decision is kept as :meth:`Decision.to_record` (message ids with parameters), so
it reads in the language of whoever looks at it, and as the catalogue version it used.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from hotline.exemption.items import CatalogueItem
from hotline.exemption.outcome import Decision, Outcome
from hotline.exemption.schema import Assessment, CatalogueVersion
from hotline.exemption.store import load_catalogue_version
from hotline.i18n import _
from hotline.models import tuples


@dataclass(frozen=True)
class SavedAssessment:
    """One stored assessment, decoded."""

    id: int
    case_id: int
    catalogue_version: str
    catalogue_name: str
    item_code: str | None
    facts: dict[str, Any]
    decision: Decision
    override_reason: str | None
    assessed_by: str
    assessed_at: dt.datetime

    @property
    def outcome(self) -> Outcome:
        return self.decision.outcome

    def item(self) -> CatalogueItem | None:
        """The catalogue entry as it was in the version this assessment used."""
        if not self.item_code:
            return None
        return load_catalogue_version(self.catalogue_version).get(self.item_code)


def _decode(row: Assessment, version: str, name: str) -> SavedAssessment:
    return SavedAssessment(
        id=row.id,
        case_id=row.case_id,
        catalogue_version=version,
        catalogue_name=name,
        item_code=row.item_code,
        facts=json.loads(row.facts),
        decision=Decision.from_record(json.loads(row.decision)),
        override_reason=row.override_reason,
        assessed_by=row.assessed_by_name,
        assessed_at=row.assessed_at,
    )


def _query() -> Any:
    return Assessment.select(Assessment, CatalogueVersion.version, CatalogueVersion.name).join(
        CatalogueVersion
    )


def of_case(case_id: int) -> list[SavedAssessment]:
    """Every assessment of the case, newest first."""
    rows = _query().where(Assessment.case == case_id).order_by(Assessment.id.desc())
    return [_decode(r, r.catalogue.version, r.catalogue.name) for r in rows]


def latest(case_id: int) -> SavedAssessment | None:
    row = _query().where(Assessment.case == case_id).order_by(Assessment.id.desc()).first()
    return _decode(row, row.catalogue.version, row.catalogue.name) if row else None


def count_by_outcome(start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """{outcome label: number of cases} for the assessments saved in ``start <= t < end``.

    A case assessed several times in the period counts once, by its last assessment there.
    Labels come in the strength order of the outcomes.
    """
    return {label: len(ids) for label, ids in case_ids_by_outcome(start, end).items()}


def case_ids_by_outcome(start: dt.datetime, end: dt.datetime) -> dict[str, list[int]]:
    """{outcome label: ids of the cases} whose last assessment saved in ``start <= t < end``
    reached that outcome (the cases :func:`count_by_outcome` counts), labels in the strength
    order of the outcomes, ids ascending."""
    rows = tuples(
        Assessment.select(Assessment.case, Assessment.outcome)
        .where((Assessment.assessed_at >= start) & (Assessment.assessed_at < end))
        .order_by(Assessment.id)
    )
    last: dict[int, str] = {}
    for case_id, outcome in rows:
        last[int(case_id)] = outcome
    result: dict[str, list[int]] = {}
    for member in Outcome:
        ids = sorted(case_id for case_id, o in last.items() if o == member.value)
        if ids:
            result[member.label] = ids
    return result


def report_summary(case_id: int) -> Any:
    """The case's latest assessment as the case-summary PDF draws it (None without one)."""
    from hotline.reports.data import ExemptionSummary

    saved = latest(case_id)
    if saved is None:
        return None
    decision = saved.decision
    item = saved.item()
    if item is not None:
        item_text = _("{code} {violation}（{body}）").format(
            code=item.code, violation=item.violation, body=item.body
        )
    else:
        item_text = saved.item_code or _("未选择清单事项")
    reasons = [(reason.text, reason.basis_text) for reason in decision.reasons]
    if decision.missing:
        reasons.append(
            (
                _("尚需查明：{facts}").format(facts=_("；").join(m.text for m in decision.missing)),
                "",
            )
        )
    return ExemptionSummary(
        outcome=decision.outcome.label,
        mandatory=decision.mandatory if decision.exempt else None,
        reasons=reasons,
        item=item_text,
        catalogue=_("{name}（{version} 版）").format(
            name=saved.catalogue_name, version=saved.catalogue_version
        ),
        assessed_at=saved.assessed_at,
        assessed_by=saved.assessed_by,
    )
