"""The enterprise directory: finding enterprises (by name, former name or credit code),
correcting a name while keeping the old one (曾用名), and merging two records of one
enterprise. Every change checks the permission, is audited and keeps the search index current.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from peewee import fn

from hotline import audit, clock
from hotline.db import is_sqlite, write_transaction
from hotline.enterprise_names import add_former_name
from hotline.enterprise_names import rename_in_transaction as rename_in_transaction
from hotline.enterprises import get, same_name
from hotline.enterprises import suggest_by_former_name as suggest_by_former_name
from hotline.errors import MSG_TOO_LONG, HotlineError, NotFound, Problems, ValidationError
from hotline.i18n import N_
from hotline.models import Case, District, Enterprise, EnterpriseFormerName, tuples
from hotline.permissions import Action, Actor
from hotline.search import index
from hotline.storable import MSG_CONTROL, has_control_characters, visible_text

log = logging.getLogger(__name__)

PAGE_SIZE = 50
NAME_LIMIT = 100


@dataclass(frozen=True)
class FormerName:
    name: str
    valid_from: dt.date | None  # None: in use before the enterprise was on file
    valid_to: dt.date
    recorded_by: str
    reason: str


@dataclass(frozen=True)
class DirectoryRow:
    """One enterprise as the directory lists it."""

    id: int
    name: str
    uscc: str
    district: str  # the district's name
    industry: str
    steward_name: str
    steward_phone: str
    cases: int
    former_names: tuple[str, ...]
    matched_former: str = ""  # the former name the search text was found in


@dataclass(frozen=True)
class DirectoryPage:
    rows: list[DirectoryRow]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class MergeResult:
    survivor_id: int
    moved_case_nos: list[str]


def search_page(text: str = "", offset: int = 0, limit: int = PAGE_SIZE) -> DirectoryPage:
    """Enterprises whose name, former name or credit code contains ``text`` (all when
    empty), by name, one page of them."""
    text = visible_text(text).replace("\x00", "")
    query = Enterprise.select()
    if text:
        query = query.where(
            Enterprise.name.contains(text)
            | Enterprise.uscc.contains(text.upper())
            | Enterprise.id.in_(
                EnterpriseFormerName.select(EnterpriseFormerName.enterprise).where(
                    EnterpriseFormerName.name.contains(text)
                )
            )
        )
    total = query.count()
    rows = list(query.order_by(Enterprise.name, Enterprise.id).offset(offset).limit(limit))
    return DirectoryPage(_rows(rows, text), total, offset, limit)


def _rows(found: list[Enterprise], text: str) -> list[DirectoryRow]:
    ids = [e.id for e in found]
    if not ids:
        return []
    counts = dict(
        tuples(
            Case.select(Case.enterprise, fn.COUNT(Case.id))
            .where(Case.enterprise.in_(ids))
            .group_by(Case.enterprise)
        )
    )
    former: dict[int, list[str]] = {}
    for enterprise_id, name in tuples(
        EnterpriseFormerName.select(EnterpriseFormerName.enterprise, EnterpriseFormerName.name)
        .where(EnterpriseFormerName.enterprise.in_(ids))
        .order_by(EnterpriseFormerName.valid_to.desc(), EnterpriseFormerName.id.desc())
    ):
        former.setdefault(enterprise_id, []).append(name)
    districts = dict(tuples(District.select(District.code, District.name)))
    needle = text.lower()
    rows = []
    for e in found:
        names = tuple(former.get(e.id, []))
        in_name = needle in e.name.lower() or needle.upper() in (e.uscc or "")
        matched = (
            "" if not needle or in_name else next((n for n in names if needle in n.lower()), "")
        )
        rows.append(
            DirectoryRow(
                id=e.id,
                name=e.name,
                uscc=e.uscc or "",
                district=districts.get(e.district_id or "", ""),
                industry=e.industry or "",
                steward_name=e.steward_name or "",
                steward_phone=e.steward_phone or "",
                cases=int(counts.get(e.id, 0)),
                former_names=names,
                matched_former=matched,
            )
        )
    return rows


def row(enterprise_id: int) -> DirectoryRow:
    return _rows([get(enterprise_id)], "")[0]


def former_names(enterprise_id: int) -> list[FormerName]:
    """The enterprise's former names, the latest first."""
    query = (
        EnterpriseFormerName.select()
        .where(EnterpriseFormerName.enterprise == enterprise_id)
        .order_by(EnterpriseFormerName.valid_to.desc(), EnterpriseFormerName.id.desc())
    )
    return [
        FormerName(f.name, f.valid_from, f.valid_to, f.recorded_by, f.reason or "") for f in query
    ]


# Correcting a name


def _checked_name(problems: Problems, name: str) -> str:
    text = visible_text(name)
    if not text:
        problems.add("name", N_("此项必填"))
    elif len(text) > NAME_LIMIT:
        problems.add("name", MSG_TOO_LONG, limit=NAME_LIMIT, length=len(text))
    elif has_control_characters(text):
        problems.add("name", MSG_CONTROL)
    return text


def rename(
    actor: Actor,
    enterprise_id: int,
    new_name: str,
    *,
    reason: str = "",
    changed_on: dt.date | None = None,
) -> DirectoryRow:
    """Correct an enterprise's name; the old name is kept as a former name until
    ``changed_on`` (default today). Another enterprise of that name is refused: merge them."""
    actor.require(Action.ENTERPRISE_MANAGE)
    problems = Problems()
    name = _checked_name(problems, new_name)
    reason_text = visible_text(reason)
    problems.too_long("reason", reason_text, 500)
    if has_control_characters(reason_text):
        problems.add("reason", MSG_CONTROL)
    problems.raise_if_any()
    with write_transaction():
        enterprise = get(enterprise_id)
        other = (
            Enterprise.select()
            .where((Enterprise.name == name) & (Enterprise.id != enterprise_id))
            .first()
        )
        if other is not None:
            raise ValidationError.single(
                "name",
                N_("已有名为“{name}”的企业档案（信用代码 {uscc}）：如是同一企业，请合并两条档案"),
                name=name,
                uscc=other.uscc or "—",
            )
        rename_in_transaction(
            actor, enterprise, name, reason=reason_text, via="directory", changed_on=changed_on
        )
    return row(enterprise_id)


# Merging duplicates


def merge(actor: Actor, survivor_id: int, duplicate_id: int, reason: str = "") -> MergeResult:
    """Merge two records of one enterprise: the duplicate's cases move to the survivor (each
    re-indexed, its version bumped), its name becomes a former name of the survivor, what the
    survivor lacks (credit code, district, industry, steward) is taken from it, and the
    duplicate record is removed. Two different credit codes are two enterprises: refused."""
    actor.require(Action.ENTERPRISE_MANAGE)
    if survivor_id == duplicate_id:
        raise HotlineError(N_("请选择两条不同的企业档案"))
    reason_text = visible_text(reason)
    if len(reason_text) > 500 or has_control_characters(reason_text):
        raise ValidationError.single("reason", MSG_CONTROL)
    with write_transaction():
        survivor = get(survivor_id)
        duplicate = Enterprise.get_or_none(Enterprise.id == duplicate_id)
        if duplicate is None:
            raise NotFound(N_("企业不存在"))
        if survivor.uscc and duplicate.uscc and survivor.uscc != duplicate.uscc:
            raise HotlineError(
                N_(
                    "两条档案的统一社会信用代码不同（{first}、{second}），是两家不同的企业，不能合并"
                ),
                first=survivor.uscc,
                second=duplicate.uscc,
            )
        moved = _move_cases(duplicate.id, survivor.id)
        _remove_from_index(duplicate)
        old = (survivor.name, survivor.uscc)
        taken = _take_missing_details(survivor, duplicate)
        EnterpriseFormerName.update(enterprise=survivor.id).where(
            EnterpriseFormerName.enterprise == duplicate.id
        ).execute()
        if not same_name(duplicate.name, survivor.name) and not any(
            same_name(f.name, duplicate.name) for f in former_names(survivor.id)
        ):
            add_former_name(
                actor,
                survivor.id,
                duplicate.name,
                duplicate.created_at.date(),
                clock.today(),
                reason_text,
            )
        left = Case.select().where(Case.enterprise == duplicate.id).count()
        if left:  # never: the cases were moved above; a case must not lose its enterprise
            raise HotlineError(N_("合并未完成：仍有 {count} 件案件属于原档案"), count=left)
        Enterprise.delete().where(Enterprise.id == duplicate.id).execute()
        if "uscc" in taken:
            index.index_enterprise(survivor.id, survivor.name, taken["uscc"], old=old)
        audit.record(
            actor,
            "enterprise.merge",
            "enterprise",
            survivor.id,
            {
                "survivor": {"id": survivor.id, "name": survivor.name, "uscc": survivor.uscc},
                "merged": {"id": duplicate.id, "name": duplicate.name, "uscc": duplicate.uscc},
                "taken": taken,
                "cases": moved,
                "reason": reason_text,
            },
        )
    log.info("enterprise %s merged into %s (%s cases)", duplicate_id, survivor_id, len(moved))
    return MergeResult(survivor.id, moved)


def _move_cases(from_id: int, to_id: int) -> list[str]:
    """Give the cases of ``from_id`` to ``to_id``, re-indexing each; their case numbers."""
    search = index.backend()
    moved = list(
        tuples(
            Case.select(Case.id, Case.case_no).where(Case.enterprise == from_id).order_by(Case.id)
        )
    )
    before = {case_id: search.before_case_change(case_id) for case_id, _no in moved}
    Case.update(enterprise=to_id, version=Case.version + 1, updated_at=clock.now()).where(
        Case.enterprise == from_id
    ).execute()
    return_nos = []
    for case_id, case_no in moved:
        search.after_case_change(case_id, before[case_id])
        return_nos.append(case_no)
    return return_nos


def _take_missing_details(survivor: Enterprise, duplicate: Enterprise) -> dict[str, str]:
    """Fill what the survivor lacks from the duplicate; returns what was taken."""
    taken: dict[str, str] = {}
    for field in ("uscc", "district", "industry", "steward_name", "steward_phone"):
        column = "district_id" if field == "district" else field
        mine, theirs = getattr(survivor, column), getattr(duplicate, column)
        if not mine and theirs:
            taken[field] = theirs
    if "uscc" in taken:  # unique: the duplicate gives its code up first
        Enterprise.update(uscc=None).where(Enterprise.id == duplicate.id).execute()
    if taken:
        Enterprise.update(**taken, updated_at=clock.now()).where(
            Enterprise.id == survivor.id
        ).execute()
    return taken


def _remove_from_index(enterprise: Enterprise) -> None:
    """Drop a removed enterprise's own entry from the search index."""
    from hotline.db import current
    from hotline.search.sqlite_backend import enterprise_tokens

    db = current()
    if is_sqlite(db):
        db.execute_sql(
            "INSERT INTO enterprise_fts(enterprise_fts, rowid, doc) VALUES('delete', ?, ?)",
            (enterprise.id, enterprise_tokens(enterprise.name, enterprise.uscc)),
        )
    else:
        db.execute_sql("DELETE FROM enterprise_search WHERE enterprise_id = %s", (enterprise.id,))
