"""The closed vocabularies of a case: codes stored in the database, Chinese labels shown.

Every enumeration accepts its code or its Chinese label on input (``parse``), so the intake
form, the command line and imports agree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from hotline.i18n import LOCALES, N_, _, translated


class LabelledEnum(StrEnum):
    """A string enumeration whose members carry a translatable label."""

    @classmethod
    def labels(cls) -> dict[str, str]:
        raise NotImplementedError

    @property
    def label(self) -> str:
        return _(self.labels()[self.value])

    @classmethod
    def parse(cls, value: object) -> Self | None:
        """The member whose code or label, in any language the program speaks, is ``value``
        (a file exported by an English-language desk is read by a Chinese one); else None."""
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            return None
        text = value.strip()
        for member in cls:
            raw_label = cls.labels()[member.value]
            if text in (member.value, raw_label, _(raw_label)) or text.lower() == member.value:
                return member
        folded = text.casefold()
        for member in cls:
            raw_label = cls.labels()[member.value]
            if any(translated(raw_label, locale).casefold() == folded for locale in LOCALES):
                return member
        return None


class Channel(LabelledEnum):
    HOTLINE = "hotline"
    WEB = "web"
    LETTER = "letter"
    VISIT = "visit"
    TRANSFER_12345 = "transfer_12345"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _CHANNEL


_CHANNEL = {
    "hotline": N_("热线电话"),
    "web": N_("网络平台"),
    "letter": N_("来信"),
    "visit": N_("来访"),
    "transfer_12345": N_("12345转办"),
}


class Kind(LabelledEnum):
    CONSULTATION = "consultation"
    HELP = "help"
    COMPLAINT = "complaint"
    REPORT = "report"
    SUGGESTION = "suggestion"
    PRAISE = "praise"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _KIND


_KIND = {
    "consultation": N_("咨询"),
    "help": N_("求助"),
    "complaint": N_("投诉"),
    "report": N_("举报"),
    "suggestion": N_("建议"),
    "praise": N_("表扬"),
}


class Category(LabelledEnum):
    APPROVAL = "approval"
    ENFORCEMENT = "enforcement"
    POLICY = "policy"
    ARREARS = "arrears"
    MARKET_ACCESS = "market_access"
    TAX_FEES = "tax_fees"
    FINANCING = "financing"
    PROPERTY_REGISTRATION = "property_registration"
    UTILITIES = "utilities"
    LABOUR = "labour"
    OTHER = "other"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _CATEGORY


_CATEGORY = {
    "approval": N_("行政审批"),
    "enforcement": N_("执法检查与处罚"),
    "policy": N_("政策落实"),
    "arrears": N_("政府欠款"),
    "market_access": N_("市场准入"),
    "tax_fees": N_("税费"),
    "financing": N_("融资"),
    "property_registration": N_("不动产登记"),
    "utilities": N_("水电气暖"),
    "labour": N_("用工"),
    "other": N_("其他"),
}


class Urgency(LabelledEnum):
    NORMAL = "normal"
    URGENT = "urgent"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _URGENCY


_URGENCY = {"normal": N_("一般"), "urgent": N_("紧急")}


class Status(LabelledEnum):
    REGISTERED = "registered"
    DISPATCHED = "dispatched"
    RETURNED = "returned"
    REPLIED = "replied"
    CALLED_BACK = "called_back"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _STATUS

    @property
    def is_terminal(self) -> bool:
        return self in (Status.CLOSED, Status.WITHDRAWN)


_STATUS = {
    "registered": N_("已受理"),
    "dispatched": N_("已派单"),
    "returned": N_("已退回"),
    "replied": N_("已答复"),
    "called_back": N_("已回访"),
    "closed": N_("已办结"),
    "withdrawn": N_("已撤销"),
}

OPEN_STATUSES = tuple(s for s in Status if not s.is_terminal)


class Satisfaction(LabelledEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _SATISFACTION


_SATISFACTION = {
    "satisfied": N_("满意"),
    "basically_satisfied": N_("基本满意"),
    "dissatisfied": N_("不满意"),
}


class Role(LabelledEnum):
    OPERATOR = "operator"
    SHIFT_LEAD = "shift_lead"
    MANAGER = "manager"
    ADMIN = "admin"
    DEPARTMENT = "department"  # a department's staff (承办单位): their department's cases only

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _ROLE


_ROLE = {
    "operator": N_("坐席"),
    "shift_lead": N_("值班长"),
    "manager": N_("科室负责人"),
    "admin": N_("管理员"),
    "department": N_("部门"),
}


class Resolution(LabelledEnum):
    """How a department's reply says the matter was resolved (答复的办理结果)."""

    RESOLVED = "resolved"
    PARTLY = "partly"
    EXPLAINED = "explained"
    UNRESOLVED = "unresolved"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _RESOLUTION


_RESOLUTION = {
    "resolved": N_("已解决"),
    "partly": N_("部分解决"),
    "explained": N_("已解释说明"),
    "unresolved": N_("暂未解决"),
}


class SupervisionLevel(LabelledEnum):
    """A supervision notice's level: 催办 (a reminder) or 督办 (formal supervision)."""

    REMINDER = "reminder"
    SUPERVISION = "supervision"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _SUPERVISION_LEVEL


_SUPERVISION_LEVEL = {"reminder": N_("催办"), "supervision": N_("督办")}
