"""Checking catalogue data field by field, whatever file it came from.

The same rules serve JSON (fields named ``items[3].code``) and spreadsheets (fields named
``row 12, column 处罚依据``): the caller passes a ``report`` function that turns a field key
into the name the user will recognise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from hotline.errors import Problems, ValidationError
from hotline.exemption.items import Catalogue, CatalogueItem, Condition
from hotline.i18n import N_
from hotline.storable import is_blank, visible_text

# field key -> label used as the column heading of spreadsheets and in messages
ITEM_FIELDS: dict[str, str] = {
    "code": N_("编号"),
    "body": N_("实施主体"),
    "area": N_("监管领域"),
    "violation": N_("违法行为"),
    "violated_provision": N_("违法依据"),
    "penalty_provision": N_("处罚依据"),
    "conditions": N_("适用条件"),
    "lookback_days": N_("首违回溯期（天）"),
    "keywords": N_("关键词"),
    "limitation_years": N_("追责时效（年）"),
    "limitation_basis": N_("时效依据"),
}
REQUIRED_FIELDS = (
    "code",
    "body",
    "area",
    "violation",
    "violated_provision",
    "penalty_provision",
    "conditions",
    "lookback_days",
)
TEXT_FIELDS = ("code", "body", "area", "violation", "violated_provision", "penalty_provision")

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{0,19}$")
CONDITION_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
MAX_LOOKBACK_DAYS = 3650
CONDITION_SEPARATORS = re.compile(r"[\n;；]+")
CONDITION_ID_TEXT = re.compile(r"^\s*([^:：]+?)\s*[:：]\s*(.+?)\s*$")
KEYWORD_SEPARATORS = re.compile(r"[,，、;；\s]+")

Report = Callable[..., None]  # report(key, message, **params)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and is_blank(value))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return visible_text(value)


def _positive_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def parse_conditions(value: Any, report: Report) -> tuple[Condition, ...]:
    """Conditions from a JSON list of ``{id, text}`` or a cell of ``id：text`` lines."""
    raw: list[tuple[Any, Any]] = []
    given = 0
    if isinstance(value, str):
        for part in CONDITION_SEPARATORS.split(value):
            if not part.strip():
                continue
            given += 1
            match = CONDITION_ID_TEXT.match(part)
            if match is None:
                report(
                    "conditions", N_("无法识别的适用条件“{text}”，应写成“编号：说明”"), text=part
                )
                continue
            raw.append((match.group(1), match.group(2)))
    elif isinstance(value, Iterable) and not isinstance(value, Mapping):
        for entry in value:
            given += 1
            if not isinstance(entry, Mapping):
                report("conditions", N_("适用条件应为含 id 和 text 的对象"))
                continue
            raw.append((entry.get("id"), entry.get("text")))
    else:
        report("conditions", N_("适用条件应为含 id 和 text 的对象"))
        return ()
    conditions: list[Condition] = []
    seen: set[str] = set()
    for condition_id, text in raw:
        cid = "" if condition_id is None else str(condition_id).strip()
        if not CONDITION_ID_PATTERN.match(cid):
            report(
                "conditions",
                N_("条件编号“{id}”不合规：应以小写字母开头，只含小写字母、数字和下划线"),
                id=cid,
            )
            continue
        if cid in seen:
            report("conditions", N_("条件编号“{id}”重复"), id=cid)
            continue
        seen.add(cid)
        if _blank(text):
            report("conditions", N_("条件“{id}”缺少说明"), id=cid)
            continue
        conditions.append(Condition(cid, _text(text)))
    if not given:
        report("conditions", N_("至少要有一个适用条件"))
    return tuple(conditions)


def parse_keywords(value: Any) -> tuple[str, ...]:
    if _blank(value):
        return ()
    if isinstance(value, str):
        words = KEYWORD_SEPARATORS.split(value)
    elif isinstance(value, Iterable):
        words = [_text(word) for word in value if not _blank(word)]
    else:
        words = [_text(value)]
    return tuple(dict.fromkeys(word.strip() for word in words if word.strip()))


def item_from_fields(
    values: Mapping[str, Any], report: Report, *, catalogue_version: str = ""
) -> CatalogueItem | None:
    """The item described by ``values`` (field key -> raw value), or None after reporting."""
    count = 0

    def counted(key: str, message: str, **params: Any) -> None:
        nonlocal count
        count += 1
        report(key, message, **params)

    for key in REQUIRED_FIELDS:
        if _blank(values.get(key)):
            counted(key, N_("不能为空"))
    code = "" if _blank(values.get("code")) else _text(values["code"])
    if code and not CODE_PATTERN.match(code):
        counted("code", N_("编号只能包含字母、数字和“-”，不超过 20 个字符"))
    lookback: int | None = None
    if not _blank(values.get("lookback_days")):
        lookback = _positive_int(values["lookback_days"])
        if lookback is None or lookback <= 0:
            counted("lookback_days", N_("应为正整数（天数）"))
        elif lookback > MAX_LOOKBACK_DAYS:
            counted("lookback_days", N_("回溯期不能超过 {max} 天"), max=MAX_LOOKBACK_DAYS)
    conditions: tuple[Condition, ...] = ()
    if not _blank(values.get("conditions")):
        conditions = parse_conditions(values["conditions"], counted)
    limitation_years: int | None = None
    limitation_basis: str | None = None
    if not _blank(values.get("limitation_years")):
        limitation_years = _positive_int(values["limitation_years"])
        if limitation_years is None or not 1 <= limitation_years <= 20:
            counted("limitation_years", N_("追责时效应为 1 到 20 之间的整数（年）"))
        if _blank(values.get("limitation_basis")):
            counted("limitation_basis", N_("填写了追责时效，也要填写它的法律依据"))
        else:
            limitation_basis = _text(values["limitation_basis"])
    if count:
        return None
    texts = {key: _text(values[key]) for key in TEXT_FIELDS}
    assert lookback is not None
    return CatalogueItem(
        code=code,
        body=texts["body"],
        area=texts["area"],
        violation=texts["violation"],
        violated_provision=texts["violated_provision"],
        penalty_provision=texts["penalty_provision"],
        conditions=conditions,
        lookback_days=lookback,
        keywords=parse_keywords(values.get("keywords")),
        limitation_years=limitation_years,
        limitation_basis=limitation_basis,
        catalogue_version=catalogue_version,
    )


def parse_date(value: Any) -> dt.date | None:
    """A date from ``YYYY-MM-DD`` text, a date or a datetime; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def check_metadata(
    data: Mapping[str, Any], problems: Problems, prefix: str = ""
) -> tuple[str, str, dt.date | None, str, str]:
    """Name, version, effective date, source and note of a catalogue, problems reported."""
    texts: dict[str, str] = {}
    for key in ("name", "version", "source"):
        if _blank(data.get(key)):
            problems.add(prefix + key, N_("不能为空"))
            texts[key] = ""
        else:
            texts[key] = _text(data[key])
    effective = None
    if _blank(data.get("effective_date")):
        problems.add(prefix + "effective_date", N_("不能为空"))
    else:
        effective = parse_date(data["effective_date"])
        if effective is None:
            problems.add(prefix + "effective_date", N_("日期格式不正确，应为 YYYY-MM-DD"))
    note = "" if _blank(data.get("note")) else _text(data["note"])
    return texts["name"], texts["version"], effective, texts["source"], note


def check_unique_codes(
    codes: Iterable[tuple[str, Callable[[str, str], None]]],
) -> None:
    """Report every code that repeats an earlier one (each with its own reporter)."""
    seen: set[str] = set()
    for code, report in codes:
        if code in seen:
            report(N_("编号 {code} 与前面的事项重复"), code)
        seen.add(code)


def catalogue_from_dict(data: Mapping[str, Any]) -> Catalogue:
    """A catalogue from its JSON form; every problem reported at once (``items[3].code``)."""
    problems = Problems()
    if not isinstance(data, Mapping):
        raise ValidationError.single("catalogue", N_("清单文件的内容应为一个对象"))
    name, version, effective, source, note = check_metadata(data, problems)
    raw_items = data.get("items")
    items: list[CatalogueItem] = []
    if not isinstance(raw_items, list) or not raw_items:
        problems.add("items", N_("清单中没有事项"))
        raw_items = []
    codes: list[tuple[str, Callable[[str, str], None]]] = []
    for index, raw in enumerate(raw_items):

        def report(key: str, message: str, _i: int = index, **params: Any) -> None:
            problems.add(f"items[{_i}].{key}", message, **params)

        if not isinstance(raw, Mapping):
            report("code", N_("事项应为一个对象"))
            continue
        item = item_from_fields(raw, report, catalogue_version=version)
        if item is not None:
            items.append(item)

            def report_code(message: str, code: str, _i: int = index) -> None:
                problems.add(f"items[{_i}].code", message, code=code)

            codes.append((item.code, report_code))
    check_unique_codes(codes)
    problems.raise_if_any()
    assert effective is not None
    return Catalogue(name, version, effective, source, note, tuple(items))
