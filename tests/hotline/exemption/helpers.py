"""Cases and facts for the tests of the stored checklist (history, service, store)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hotline import cases
from hotline.models import Case
from hotline.permissions import Actor
from tests.conftest import sample_case

USCC_A = "91410600MA44XKQ35C"  # the enterprise of sample_case()
USCC_B = "91410611MA3X5B2K5L"
ITEM = "SC-001"  # 未将营业执照置于醒目位置: one condition, licence_valid; look-back 365 days
OTHER_ITEM = "SC-007"  # 明码标价

# Categories differ between a test's cases so that none is flagged as a repeat of another.
CATEGORIES = ("enforcement", "approval", "policy", "market_access", "other")


def new_case(actor: Actor, number: int = 0, *, uscc: str = USCC_A, **overrides: Any) -> Case:
    name = "鹤壁市华联商贸有限公司" if uscc == USCC_A else "鹤壁市淇滨区福源食品店"
    data = sample_case(
        category=CATEGORIES[number % len(CATEGORIES)],
        enterprise={"name": name, "uscc": uscc},
        subject=f"营业执照未公示被处罚 {number}",
        **overrides,
    )
    return cases.register(actor, data)


def first_offense_facts(act: dt.date, **values: Any) -> dict[str, Any]:
    """Facts of SC-001 that grant the discretionary first-offense exemption once first
    offense is known to be true (harm minor rules out the mandatory ground)."""
    facts: dict[str, Any] = {
        "item": ITEM,
        "harm": "minor",
        "corrected": True,
        "no_fault_proven": False,
        "act_date": act.isoformat(),
        "act_end_date": act.isoformat(),
        "discovered_date": act.isoformat(),
        "conditions": {"licence_valid": True},
    }
    facts.update(values)
    return facts
