"""Catalogue items made up for the decision tests, independent of the shipped catalogue."""

from __future__ import annotations

import datetime as dt

from hotline.exemption.facts import Facts, Harm
from hotline.exemption.items import CatalogueItem, Condition

D = dt.date

ITEM = CatalogueItem(
    code="T-001",
    body="市场监督管理部门",
    area="登记注册",
    violation="未将营业执照置于住所或者主要经营场所的醒目位置",
    violated_provision="《中华人民共和国市场主体登记管理条例》第三十六条",
    penalty_provision="《中华人民共和国市场主体登记管理条例》第四十八条第一款",
    conditions=(
        Condition("no_illegal_gain", "没有违法所得"),
        Condition("licence_valid", "持有有效的营业执照"),
    ),
    lookback_days=365,
    keywords=("营业执照",),
    catalogue_version="test.1",
)

TAX_ITEM = CatalogueItem(
    code="T-TAX",
    body="税务机关",
    area="纳税申报",
    violation="纳税人未按照规定的期限办理纳税申报和报送纳税资料",
    violated_provision="《中华人民共和国税收征收管理法》第二十五条第一款",
    penalty_provision="《中华人民共和国税收征收管理法》第六十二条",
    conditions=(Condition("no_tax_loss", "未造成税款少缴、未缴或者滞纳"),),
    lookback_days=365,
    limitation_years=5,
    limitation_basis="《中华人民共和国税收征收管理法》第八十六条",
    catalogue_version="test.1",
)

ALL_MET = {"no_illegal_gain": True, "licence_valid": True}

# Dates well inside the 2-year period, so the time bar fails unless a case sets others.
RECENT = {
    "act_date": D(2025, 6, 1),
    "act_end_date": D(2025, 6, 1),
    "discovered_date": D(2025, 9, 1),
}


def facts(item: CatalogueItem | None = ITEM, **values: object) -> Facts:
    """Facts naming ``item``; ``conditions`` default to all met when an item is given."""
    if item is not None:
        values.setdefault("conditions", {c.id: True for c in item.conditions})
    harm = values.get("harm")
    if isinstance(harm, str):
        values["harm"] = Harm(harm)
    return Facts(item=item.code if item else None, **values)  # type: ignore[arg-type]
