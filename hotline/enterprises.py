"""Enterprises: found or created at intake, their details and their history of cases."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

from hotline import admin, audit, clock
from hotline.case_briefs import CaseBrief, briefs
from hotline.db import write_transaction
from hotline.enterprise_names import rename_in_transaction
from hotline.errors import NotFound, Problem, Problems, ValidationError
from hotline.i18n import N_
from hotline.models import Case, Enterprise, EnterpriseFormerName
from hotline.permissions import Action, Actor
from hotline.search import index, suggest_enterprises
from hotline.storable import MSG_CONTROL, has_control_characters, visible_text
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
    former_name: str = ""  # a suggestion found by this former name (曾用名)

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


# What to do when a credit code on file comes with another name (see find_or_create).
KEEP_REGISTERED = "keep"  # the name on file is right: the case goes to it as it is
CORRECT_NAME = "rename"  # the typed name is right: the old one becomes a former name
NAME_CHOICES = (KEEP_REGISTERED, CORRECT_NAME)


def same_name(first: str, second: str) -> bool:
    """Whether two enterprise names are the same but for width, case and spaces
    (（有限公司） and (有限公司) are one name)."""

    def key(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text or "").lower().split())

    return key(first) == key(second)


class EnterpriseNameMismatch(ValidationError):
    """A credit code on file was given with a name that is neither the enterprise's name nor
    one of its former names: somebody has to say which is right (never taken silently).
    A problem of the enterprise name, so every caller that reports input problems says it."""

    def __init__(self, enterprise_id: int, uscc: str, registered: str, typed: str) -> None:
        super().__init__(
            [
                Problem(
                    "enterprise.name",
                    N_(
                        "统一社会信用代码 {uscc} 已登记为“{registered}”，与填写的“{typed}”不同：请确认沿用登记名称，或把企业名称更正为填写的名称（原名称记为曾用名）"
                    ),
                    {"uscc": uscc, "registered": registered, "typed": typed},
                )
            ]
        )
        self.enterprise_id = enterprise_id
        self.uscc = uscc
        self.registered = registered
        self.typed = typed


def _is_former_name(enterprise_id: int, name: str) -> bool:
    from hotline.models import EnterpriseFormerName

    former = EnterpriseFormerName.select(EnterpriseFormerName.name).where(
        EnterpriseFormerName.enterprise == enterprise_id
    )
    return any(same_name(row.name, name) for row in former)


def find_or_create(
    actor: Actor,
    name: str,
    uscc: str | None,
    district_code: str | None,
    name_choice: str | None = None,
) -> Enterprise:
    """Inside the intake transaction: reuse the enterprise on file or register a new one.

    A credit code on file given with another name raises :class:`EnterpriseNameMismatch`
    unless ``name_choice`` says which is right: :data:`KEEP_REGISTERED` or
    :data:`CORRECT_NAME` (the name is corrected, the old one kept as a former name). A former
    name of that enterprise is no mismatch: the case goes to the enterprise as it is now.
    """
    found = find(name, uscc)
    now = clock.now()
    if (
        found is not None
        and uscc
        and found.uscc == uscc
        and name
        and not same_name(found.name, name)
        and not _is_former_name(found.id, name)
    ):
        if name_choice == CORRECT_NAME:
            rename_in_transaction(actor, found, name, via="intake")
            found = get(found.id)
        elif name_choice != KEEP_REGISTERED:
            raise EnterpriseNameMismatch(found.id, uscc, found.name, name)
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
    """The enterprise's cases, newest first: those the signed-in person may see
    (:mod:`hotline.access`; a department, its own)."""
    from hotline import access

    query = Case.select().where(Case.enterprise == enterprise_id)
    scope = access.list_condition()
    if scope is not None:
        query = query.where(scope)
    return list(query.order_by(Case.id.desc()).limit(limit))


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
    """Enterprises on file by name or credit code like ``text``, for the intake form, then
    those found by a former name (曾用名)."""
    found = [EnterpriseInfo.of(e) for e in suggest_enterprises(text, limit=limit)]
    known = {info.id for info in found}
    for info in suggest_by_former_name(text, limit=limit):
        if info.id not in known and len(found) < limit:
            found.append(info)
    return found


def suggest_by_former_name(text: str, limit: int = 10) -> list[EnterpriseInfo]:
    """Enterprises one of whose former names contains ``text`` (intake suggestions), each
    with the former name that matched."""
    text = visible_text(text).replace("\x00", "")
    if len(text) < 2:
        return []
    found: dict[int, EnterpriseInfo] = {}
    query = (
        EnterpriseFormerName.select(EnterpriseFormerName, Enterprise)
        .join(Enterprise)
        .where(EnterpriseFormerName.name.contains(text))
        .order_by(EnterpriseFormerName.valid_to.desc())
        .limit(limit * 3)
    )
    for former in query:
        enterprise = former.enterprise
        if enterprise.id not in found:
            info = EnterpriseInfo.of(enterprise)
            found[enterprise.id] = EnterpriseInfo(**{**info.__dict__, "former_name": former.name})
    return list(found.values())[:limit]
