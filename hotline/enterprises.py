"""Enterprises: found or created at intake, their details and their history of cases."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hotline import admin, audit, clock
from hotline.case_briefs import CaseBrief, briefs
from hotline.db import write_transaction
from hotline.errors import NotFound, Problems
from hotline.i18n import N_
from hotline.models import Case, Enterprise
from hotline.permissions import Action, Actor
from hotline.search import index, suggest_enterprises
from hotline.storable import MSG_CONTROL, has_control_characters
from hotline.validation import normalize_phone, normalize_uscc, normalized

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EnterpriseInfo:
    """An enterprise as screens show it (intake, case window, enterprise window): plain data."""

    id: int
    name: str
    uscc: str
    district_code: str
    industry: str
    steward_name: str
    steward_phone: str

    @classmethod
    def of(cls, enterprise: Enterprise) -> EnterpriseInfo:
        return cls(
            id=enterprise.id,
            name=enterprise.name,
            uscc=enterprise.uscc or "",
            district_code=enterprise.district_id or "",
            industry=enterprise.industry or "",
            steward_name=enterprise.steward_name or "",
            steward_phone=enterprise.steward_phone or "",
        )


def find(name: str, uscc: str | None) -> Enterprise | None:
    """The enterprise with this credit code, else the one of this exact name."""
    if uscc:
        found = Enterprise.get_or_none(Enterprise.uscc == uscc)
        if found is not None:
            return found
    if name:
        query = Enterprise.select().where(Enterprise.name == name)
        if uscc:
            query = query.where(Enterprise.uscc.is_null())
        by_name: Enterprise | None = query.order_by(Enterprise.id).first()
        return by_name
    return None


def find_or_create(
    actor: Actor, name: str, uscc: str | None, district_code: str | None
) -> Enterprise:
    """Inside the intake transaction: reuse the enterprise on file or register a new one."""
    found = find(name, uscc)
    now = clock.now()
    if found is not None:
        if uscc and not found.uscc:
            old = (found.name, found.uscc)
            Enterprise.update(uscc=uscc, updated_at=now).where(Enterprise.id == found.id).execute()
            index.index_enterprise(found.id, found.name, uscc, old=old)
            audit.record(actor, "enterprise.set_uscc", "enterprise", found.id, {"uscc": uscc})
            found.uscc = uscc
        return found
    enterprise = Enterprise.create(
        name=name, uscc=uscc, district=district_code or None, created_at=now, updated_at=now
    )
    index.index_enterprise(enterprise.id, name, uscc)
    audit.record(
        actor, "enterprise.create", "enterprise", enterprise.id, {"name": name, "uscc": uscc}
    )
    return enterprise


def get(enterprise_id: int) -> Enterprise:
    found = Enterprise.get_or_none(Enterprise.id == enterprise_id)
    if found is None:
        raise NotFound(N_("企业不存在"))
    return found


def update_details(
    actor: Actor, enterprise_id: int, *, industry: str, steward_name: str, steward_phone: str
) -> Enterprise:
    """Change the details an operator keeps about an enterprise (industry, service steward)."""
    actor.require(Action.CASE_REGISTER)
    problems = Problems()
    problems.too_long("industry", industry, 40)
    problems.too_long("steward_name", steward_name, 40)
    for key, value in (("industry", industry), ("steward_name", steward_name)):
        if has_control_characters(value):
            problems.add(key, MSG_CONTROL)
    phone = normalized(problems, "steward_phone", steward_phone.strip(), normalize_phone)
    problems.raise_if_any()
    with write_transaction():
        before = get(enterprise_id)
        Enterprise.update(
            industry=industry.strip(),
            steward_name=steward_name.strip(),
            steward_phone=phone,
            updated_at=clock.now(),
        ).where(Enterprise.id == enterprise_id).execute()
        audit.record(
            actor,
            "enterprise.update",
            "enterprise",
            enterprise_id,
            {
                "before": {
                    "industry": before.industry,
                    "steward_name": before.steward_name,
                    "steward_phone": before.steward_phone,
                },
                "after": {
                    "industry": industry,
                    "steward_name": steward_name,
                    "steward_phone": phone,
                },
            },
        )
    return get(enterprise_id)


def cases_of(enterprise_id: int, limit: int = 200) -> list[Case]:
    return list(
        Case.select().where(Case.enterprise == enterprise_id).order_by(Case.id.desc()).limit(limit)
    )


# -- What screens read, as plain data (they call these off the GUI thread) --------------------

INTAKE_HISTORY_LIMIT = 50


@dataclass(frozen=True)
class EnterpriseView:
    """The enterprise window's read: the enterprise, its district's name, its latest cases."""

    info: EnterpriseInfo
    district: str
    cases: list[CaseBrief]  # newest first


def enterprise_view(enterprise_id: int, case_limit: int) -> EnterpriseView:
    """The enterprise and at most ``case_limit`` of its cases, newest first."""
    found = get(enterprise_id)
    return EnterpriseView(
        info=EnterpriseInfo.of(found),
        district=admin.district_names().get(found.district_id or "", ""),
        cases=briefs(cases_of(enterprise_id, limit=case_limit)),
    )


@dataclass(frozen=True)
class EnterpriseContext:
    """What the intake form shows beside an enterprise it recognised: it and its cases."""

    enterprise: EnterpriseInfo
    cases: list[CaseBrief]  # newest first, at most INTAKE_HISTORY_LIMIT


def clean_uscc(text: str) -> str | None:
    """The credit code if ``text`` is a valid one, else None (a typo must not hide the
    enterprise)."""
    try:
        return normalize_uscc(text) if text.strip() else None
    except ValueError:
        return None


def intake_context(name: str, uscc: str) -> EnterpriseContext | None:
    """The enterprise on file for what was typed at intake, with its earlier cases."""
    found = find(name.strip(), clean_uscc(uscc))
    if found is None:
        return None
    return EnterpriseContext(
        enterprise=EnterpriseInfo.of(found),
        cases=briefs(cases_of(found.id, limit=INTAKE_HISTORY_LIMIT)),
    )


def suggestions(text: str, limit: int = 10) -> list[EnterpriseInfo]:
    """Enterprises whose name or credit code starts like ``text``, for the intake form."""
    return [EnterpriseInfo.of(e) for e in suggest_enterprises(text, limit=limit)]
