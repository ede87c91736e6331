"""The facts of a case that the exemption decision rests on, and their validation.

Every fact may be ``None``: not known yet. ``None`` never counts for or against the
enterprise; the decision says which unknown facts it needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hotline import clock
from hotline.enums import LabelledEnum
from hotline.errors import Problems
from hotline.exemption.items import Catalogue, CatalogueItem
from hotline.exemption.validation import parse_date
from hotline.i18n import N_
from hotline.storable import MSG_CONTROL, has_control_characters


class Harm(LabelledEnum):
    """The harmful consequences of the act (危害后果)."""

    NONE = "none"
    MINOR = "minor"
    SERIOUS = "serious"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _HARM_LABELS


_HARM_LABELS = {
    "none": N_("没有危害后果"),
    "minor": N_("危害后果轻微"),
    "serious": N_("危害后果较重"),
}

BOOL_FACTS = (
    "minor",
    "first_offense",
    "corrected",
    "no_fault_proven",
    "involves_life_health_or_financial_safety",
)
DATE_FACTS = ("act_date", "act_end_date", "discovered_date")
FACT_KEYS = (
    "item",
    "minor",
    "first_offense",
    "harm",
    "corrected",
    "no_fault_proven",
    "act_date",
    "act_end_date",
    "discovered_date",
    "involves_life_health_or_financial_safety",
    "conditions",
    "first_offense_source",
)

# What to ask the operator when a fact is missing (``conditions.<id>`` uses the item's text).
FACT_LABELS: dict[str, str] = {
    "item": N_("清单事项"),
    "minor": N_("违法行为是否轻微"),
    "first_offense": N_("是否初次违法"),
    "harm": N_("危害后果（没有／轻微／较重）"),
    "corrected": N_("是否及时改正（发现前主动改正，或在责令改正期限内改正）"),
    "no_fault_proven": N_("当事人有无证据足以证明没有主观过错"),
    "act_date": N_("违法行为发生日期"),
    "act_end_date": N_("违法行为终了日期（没有连续或者继续状态的，与发生日期相同）"),
    "discovered_date": N_("违法行为被发现的日期"),
    "involves_life_health_or_financial_safety": N_("是否涉及公民生命健康安全、金融安全"),
}
CONDITION_LABEL = N_("清单适用条件：{condition}")


@dataclass(frozen=True)
class Facts:
    """What is known of the case; ``None`` everywhere means unknown.

    ``act_end_date`` is the day the act ended: for a continuing act (连续或者继续状态) the
    day it stopped, for a one-off act the same day as ``act_date``. ``None`` means it is not
    known whether or when the act ended, which keeps the time bar undecided (see
    :func:`hotline.exemption.decision.decide`).

    ``first_offense_source`` is not a fact but where ``first_offense`` came from (an earlier
    case number found in the enterprise's history, or an operator's override); the decision
    repeats it among its reasons.
    """

    item: str | None = None
    minor: bool | None = None
    first_offense: bool | None = None
    harm: Harm | None = None
    corrected: bool | None = None
    no_fault_proven: bool | None = None
    act_date: dt.date | None = None
    act_end_date: dt.date | None = None
    discovered_date: dt.date | None = None
    involves_life_health_or_financial_safety: bool | None = None
    conditions: Mapping[str, bool | None] = field(default_factory=dict)
    first_offense_source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, as :func:`parse_facts` reads it back."""
        data: dict[str, Any] = {}
        for key in FACT_KEYS:
            value = getattr(self, key)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, Harm):
                value = value.value
            elif key == "conditions":
                value = dict(value)
            data[key] = value
        return data


def missing_label(key: str, item: CatalogueItem | None) -> tuple[str, dict[str, Any]]:
    """The message and parameters naming the fact ``key`` for the operator."""
    if key.startswith("conditions."):
        condition_id = key.split(".", 1)[1]
        condition = item.condition(condition_id) if item is not None else None
        return CONDITION_LABEL, {"condition": condition.text if condition else condition_id}
    return FACT_LABELS.get(key, key), {}


def parse_facts(
    data: Mapping[str, Any], catalogue: Catalogue, *, today: dt.date | None = None
) -> Facts:
    """Checked facts from their JSON form; every problem at once in a ValidationError.

    Refused: an unknown key, an item not in ``catalogue``, a condition id the item does not
    have (or conditions without an item), a value that is not true/false/null, a harm other
    than none/minor/serious, a date that is not ``YYYY-MM-DD`` or lies after ``today``, an end
    date before the act date, a discovery date before the act, and ``minor: false`` with an
    item (every listed item is a minor violation; a case that is not minor fails one of the
    item's conditions instead).
    """
    problems = Problems()
    if not isinstance(data, Mapping):
        problems.add("facts", N_("事实应为一个 JSON 对象"))
        problems.raise_if_any()
    today = today or clock.today()
    for key in data:
        if key not in FACT_KEYS:
            problems.add(str(key), N_("未知的事实项“{key}”"), key=key)

    item: CatalogueItem | None = None
    code = data.get("item")
    if code is not None:
        if not isinstance(code, str) or not code.strip():
            problems.add("item", N_("清单事项编号应为文字"))
        else:
            item = catalogue.get(code.strip())
            if item is None:
                problems.add(
                    "item",
                    N_("清单（{version} 版）中没有编号为 {code} 的事项"),
                    code=code,
                    version=catalogue.version,
                )

    values: dict[str, Any] = {}
    for key in BOOL_FACTS:
        value = data.get(key)
        if value is not None and not isinstance(value, bool):
            problems.add(key, N_("应为 true、false 或 null（未知）"))
            value = None
        values[key] = value
    if item is not None and values["minor"] is False:
        problems.add("minor", N_("清单所列事项都属于轻微违法行为；不轻微的，应在适用条件中说明"))

    harm = None
    if data.get("harm") is not None:
        harm = Harm.parse(data["harm"])
        if harm is None:
            problems.add("harm", N_("危害后果应为 none、minor、serious 或 null（未知）"))

    dates: dict[str, dt.date | None] = {}
    for key in DATE_FACTS:
        value = data.get(key)
        parsed = None
        if value is not None:
            parsed = parse_date(value) if isinstance(value, str | dt.date) else None
            if parsed is None:
                problems.add(key, N_("日期格式不正确，应为 YYYY-MM-DD"))
            elif parsed > today:
                problems.add(key, N_("日期不能晚于今天（{today}）"), today=today.isoformat())
                parsed = None
        dates[key] = parsed
    act, end, found = dates["act_date"], dates["act_end_date"], dates["discovered_date"]
    if act and end and end < act:
        problems.add("act_end_date", N_("违法行为终了日期不能早于发生日期"))
    if act and found and found < act:
        problems.add("discovered_date", N_("发现日期不能早于违法行为发生日期"))

    conditions: dict[str, bool | None] = {}
    raw_conditions = data.get("conditions")
    if raw_conditions is not None:
        if not isinstance(raw_conditions, Mapping):
            problems.add("conditions", N_("适用条件应为“条件编号: true/false/null”形式的对象"))
        elif raw_conditions and item is None and code is None:
            problems.add("conditions", N_("没有选择清单事项，不能填写适用条件"))
        elif item is not None:
            for condition_id, value in raw_conditions.items():
                field_name = f"conditions.{condition_id}"
                if item.condition(str(condition_id)) is None:
                    problems.add(
                        field_name,
                        N_("事项 {code} 没有编号为 {id} 的适用条件"),
                        code=item.code,
                        id=condition_id,
                    )
                elif value is not None and not isinstance(value, bool):
                    problems.add(field_name, N_("应为 true、false 或 null（未知）"))
                else:
                    conditions[str(condition_id)] = value

    source = data.get("first_offense_source")
    if source is not None and not isinstance(source, str):
        problems.add("first_offense_source", N_("应为文字"))
    source_text = source.strip() if isinstance(source, str) else ""
    if has_control_characters(source_text):
        problems.add("first_offense_source", MSG_CONTROL)
    problems.raise_if_any()
    return Facts(
        item=item.code if item else None,
        minor=values["minor"],
        first_offense=values["first_offense"],
        harm=harm,
        corrected=values["corrected"],
        no_fault_proven=values["no_fault_proven"],
        act_date=act,
        act_end_date=end,
        discovered_date=found,
        involves_life_health_or_financial_safety=values["involves_life_health_or_financial_safety"],
        conditions=conditions,
        first_offense_source=source_text or None,
    )
