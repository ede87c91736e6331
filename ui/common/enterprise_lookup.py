"""What the intake window reads, as plain records: run these off the GUI thread.

Each function calls the core and returns frozen dataclasses, so widgets never hold live
database rows (and never trigger a query by touching an attribute).
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline import admin, cases, enterprise_directory, enterprises
from hotline.case_briefs import CaseBrief, briefs
from hotline.enterprises import EnterpriseInfo
from hotline.search import suggest_enterprises
from hotline.validation import normalize_uscc

HISTORY_LIMIT = 50


@dataclass(frozen=True)
class EnterpriseContext:
    enterprise: EnterpriseInfo
    cases: list[CaseBrief]  # newest first, at most HISTORY_LIMIT


def districts() -> list[tuple[str, str]]:
    """(name, code) of the active districts, for the district combo."""
    return [(d.name, d.code) for d in admin.list_districts(include_inactive=False)]


def suggest(text: str) -> list[EnterpriseInfo]:
    """Enterprises on file by name or credit code, then those found by a former name."""
    found = [EnterpriseInfo.of(e) for e in suggest_enterprises(text, limit=10)]
    known = {info.id for info in found}
    for info in enterprise_directory.suggest_by_former_name(text, limit=10):
        if info.id not in known and len(found) < 10:
            found.append(info)
    return found


def clean_uscc(text: str) -> str | None:
    """The credit code if it is a valid one, else None (a typo must not hide the enterprise)."""
    try:
        return normalize_uscc(text) if text.strip() else None
    except ValueError:
        return None


def context(name: str, uscc: str) -> EnterpriseContext | None:
    """The enterprise on file for what was typed, with its earlier cases."""
    found = enterprises.find(name.strip(), clean_uscc(uscc))
    if found is None:
        return None
    return EnterpriseContext(
        enterprise=EnterpriseInfo.of(found),
        cases=briefs(enterprises.cases_of(found.id, limit=HISTORY_LIMIT)),
    )


def likely_repeat(name: str, uscc: str, category: str) -> CaseBrief | None:
    """The case the one being typed would repeat (same enterprise, same category)."""
    if not category or not (name.strip() or uscc.strip()):
        return None
    found = cases.find_repeat_for_draft(name.strip(), clean_uscc(uscc), category)
    return CaseBrief.of(found) if found is not None else None
