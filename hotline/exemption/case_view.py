"""Everything the exemption panel shows of a case, read in one go (off the GUI thread).

The catalogue in force, the case's enterprise and state, its latest assessment (to start
from), the department of each enforcement body and the deadline a dispatch today would set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from hotline import workflow
from hotline.enums import Status
from hotline.errors import NotFound
from hotline.exemption import assessments
from hotline.exemption.assessments import SavedAssessment
from hotline.exemption.items import Catalogue, CatalogueItem
from hotline.exemption.store import catalogue_in_force
from hotline.i18n import N_
from hotline.models import Case, Department, Enterprise
from hotline.permissions import Actor


@dataclass(frozen=True)
class BodyDepartment:
    id: int
    name: str


@dataclass(frozen=True)
class ExemptionCaseView:
    case_id: int
    case_no: str
    version: int
    status: Status
    subject: str
    enterprise_name: str
    uscc: str | None
    catalogue: Catalogue
    latest: SavedAssessment | None
    latest_item: CatalogueItem | None  # the item of ``latest`` in the version it used
    can_dispatch: bool  # the case's state and the user's role allow a dispatch now
    departments: dict[str, BodyDepartment] = field(default_factory=dict)
    dispatch_due: dt.date | None = None


def load_case_view(case_id: int, actor: Actor) -> ExemptionCaseView:
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise NotFound(N_("案件不存在"))
    enterprise = (
        Enterprise.get_or_none(Enterprise.id == case.enterprise_id) if case.enterprise_id else None
    )
    catalogue = catalogue_in_force()
    catalogue.search("yyzz")  # builds the items' search index here, not on the GUI thread
    departments = {
        # Not NULL: the query below selects only departments that are an enforcement body.
        cast(str, d.enforcement_body): BodyDepartment(d.id, d.name)
        for d in Department.select()
        .where(Department.enforcement_body.is_null(False) & Department.active)
        .order_by(Department.id.desc())
    }
    can_dispatch = "dispatch" in workflow.allowed_actions(case, actor)
    latest = assessments.latest(case.id)
    return ExemptionCaseView(
        case_id=case.id,
        case_no=case.case_no,
        version=case.version,
        status=Status(case.status),
        subject=case.subject,
        enterprise_name=enterprise.name if enterprise else "",
        uscc=enterprise.uscc if enterprise else None,
        catalogue=catalogue,
        latest=latest,
        latest_item=latest.item() if latest else None,
        can_dispatch=can_dispatch,
        departments=departments,
        dispatch_due=workflow.preview_deadline(case).due if can_dispatch else None,
    )
