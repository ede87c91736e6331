"""Validating what an operator (or a file) gives for a new case, all problems at once.

``parse_intake`` accepts the keys of the command line's JSON (``channel``, ``kind``, …,
``enterprise`` {``name``, ``uscc``}, ``contact`` {``name``, ``phone``}); enumerations take their
code or Chinese label, districts their code or name. It returns a normalised ``CaseDraft`` or
raises one ValidationError listing every problem with its field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from hotline import clock
from hotline.enums import Category, Channel, Kind, LabelledEnum, Urgency
from hotline.errors import Problems
from hotline.i18n import N_
from hotline.models import District
from hotline.storable import MSG_CONTROL, has_control_characters, visible_text
from hotline.validation import normalize_phone, normalize_uscc, normalized

LIMITS = {
    "enterprise.name": 100,
    "contact.name": 40,
    "subject": 100,
    "description": 20_000,
    "request": 2_000,
}
REQUIRED = (
    "channel",
    "kind",
    "category",
    "district",
    "enterprise.name",
    "contact.name",
    "contact.phone",
    "subject",
    "description",
)
MSG_REQUIRED = N_("此项必填")
# What to do when a credit code on file comes with another name (hotline.enterprises).
NAME_CHOICES = ("keep", "rename")
MSG_UNKNOWN = N_("无法识别的取值：{value}")


@dataclass
class CaseDraft:
    channel: Channel
    kind: Kind
    category: Category
    urgency: Urgency
    district_code: str
    enterprise_name: str
    enterprise_uscc: str | None
    contact_name: str
    contact_phone: str
    subject: str
    description: str
    request: str
    confidential: bool
    received_at: dt.datetime
    # A credit code on file typed with another name: which name is right (None: ask).
    enterprise_name_choice: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _text(data: dict[str, Any], key: str) -> str:
    node: Any = data
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return visible_text(node)


def _enum(
    problems: Problems,
    data: dict[str, Any],
    key: str,
    cls: type[LabelledEnum],
    default: LabelledEnum | None = None,
) -> Any:
    raw = _text(data, key)
    if not raw:
        if default is None:
            problems.add(key, MSG_REQUIRED)
        return default
    value = cls.parse(raw)
    if value is None:
        problems.add(key, MSG_UNKNOWN, value=raw)
    return value


def _district(problems: Problems, raw: str) -> str:
    if not raw:
        problems.add("district", MSG_REQUIRED)
        return ""
    if has_control_characters(raw):  # nor can the database be asked for it
        problems.add("district", MSG_CONTROL)
        return ""
    row = District.get_or_none((District.code == raw) | (District.name == raw))
    if row is None:
        problems.add("district", N_("未知的区县：{value}"), value=raw)
        return ""
    return str(row.code)


def _received_at(problems: Problems, value: Any) -> dt.datetime:
    now = clock.now()
    if value in (None, ""):
        return now
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            problems.add("received_at", N_("时间格式无效，应为 ISO 8601，如 2026-11-25T09:30:00"))
            return now
    try:
        parsed = clock.to_china(parsed)
    except OverflowError:  # year 1 or 9999 with an offset: outside what a datetime holds
        late = parsed.year > now.year
        problems.add("received_at", N_("受理时间不能晚于现在") if late else N_("受理时间过早"))
        return now
    if parsed > now + dt.timedelta(minutes=5):
        problems.add("received_at", N_("受理时间不能晚于现在"))
    elif parsed.year < 2000:
        problems.add("received_at", N_("受理时间过早"))
    return parsed


def _boolean(problems: Problems, value: Any, key: str) -> bool:
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "是", "保密"):
        return True
    if text in ("0", "false", "no", "n", "否"):
        return False
    problems.add(key, MSG_UNKNOWN, value=str(value))
    return False


def parse_intake(data: dict[str, Any]) -> CaseDraft:
    """Validate ``data``; every problem is reported together."""
    problems = Problems()
    if not isinstance(data, dict):
        problems.add("case", N_("每个案件应为一个 JSON 对象"))
        problems.raise_if_any()
    for key in REQUIRED:
        if key in ("channel", "kind", "category", "district"):
            continue
        if not _text(data, key):
            problems.add(key, MSG_REQUIRED)
    for key, limit in LIMITS.items():
        text = _text(data, key)
        problems.too_long(key, text, limit)
        if has_control_characters(text):
            problems.add(key, MSG_CONTROL)
    channel = _enum(problems, data, "channel", Channel)
    kind = _enum(problems, data, "kind", Kind)
    category = _enum(problems, data, "category", Category)
    urgency = _enum(problems, data, "urgency", Urgency, default=Urgency.NORMAL)
    district = _district(problems, _text(data, "district"))
    uscc = normalized(problems, "enterprise.uscc", _text(data, "enterprise.uscc"), normalize_uscc)
    phone = normalized(problems, "contact.phone", _text(data, "contact.phone"), normalize_phone)
    received = _received_at(problems, data.get("received_at"))
    confidential = _boolean(problems, data.get("confidential"), "confidential")
    choice = _text(data, "enterprise.name_choice") or None
    if choice is not None and choice not in NAME_CHOICES:
        problems.add("enterprise.name_choice", MSG_UNKNOWN, value=choice)
    problems.raise_if_any()
    return CaseDraft(
        channel=channel,
        kind=kind,
        category=category,
        urgency=urgency,
        district_code=district,
        enterprise_name=_text(data, "enterprise.name"),
        enterprise_uscc=uscc or None,
        contact_name=_text(data, "contact.name"),
        contact_phone=phone,
        subject=_text(data, "subject"),
        description=_text(data, "description"),
        request=_text(data, "request"),
        confidential=confidential,
        received_at=received,
        enterprise_name_choice=choice,
    )
