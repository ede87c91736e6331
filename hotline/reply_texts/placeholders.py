"""The placeholders of a reply text, checked when it is saved and filled from a case.

A placeholder is a name in braces: ``{企业名称}``, or its English alias ``{enterprise}``
(either works in any language; spaces inside the braces and the alias's case do not matter).
``{{`` and ``}}`` write a brace itself. A name the program does not know is refused when the
text is saved (:func:`problems_in`) and never left in a reply: :func:`fill` reports it.

The caller's name and phone come from the case as the reading person may see it
(:func:`hotline.case_view.load_case_window` masks a confidential caller for a role without
the right), so a reply text never discloses more than the case window shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline.enums import Category, Kind
from hotline.errors import Problem
from hotline.i18n import N_, _, current_locale, format_date

if TYPE_CHECKING:
    from hotline.case_view import CaseWindowView


@dataclass(frozen=True)
class Placeholder:
    name: str  # the Chinese name, as stored in the centre's texts
    alias: str  # the English alias
    description: str  # message id: what it is filled with


PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder("企业名称", "enterprise", N_("案件所属企业的名称")),
    Placeholder("统一社会信用代码", "credit_code", N_("企业的统一社会信用代码")),
    Placeholder("案件编号", "case_no", N_("案件编号")),
    Placeholder("诉求标题", "subject", N_("诉求标题")),
    Placeholder("诉求类型", "kind", N_("投诉、咨询、求助等")),
    Placeholder("诉求类别", "category", N_("诉求类别，如行政审批")),
    Placeholder("受理日期", "received_date", N_("受理日期")),
    Placeholder("办理期限", "deadline", N_("承办单位的办理期限")),
    Placeholder("承办单位", "department", N_("案件派往的承办单位")),
    Placeholder("区县", "district", N_("案件所属区县")),
    Placeholder("来电人", "caller", N_("来电人姓名（保密案件按权限遮蔽）")),
    Placeholder("来电人电话", "caller_phone", N_("来电人电话（保密案件按权限遮蔽）")),
    Placeholder("服务专员", "steward", N_("企业的服务专员")),
    Placeholder("经办人", "operator", N_("当前登录的经办人")),
    Placeholder("今天", "today", N_("今天的日期")),
)
BY_NAME: dict[str, Placeholder] = {p.name: p for p in PLACEHOLDERS} | {
    p.alias: p for p in PLACEHOLDERS
}

# ``{{``, ``}}``, or a name in braces (no braces or line breaks inside).
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}")
MSG_UNKNOWN = N_("未知的占位符 {names}（第 {line} 行）。可用的占位符：{known}")


def lookup(name: str) -> Placeholder | None:
    key = name.strip()
    return BY_NAME.get(key) or BY_NAME.get(key.lower())


def known_list() -> str:
    return "、".join("{" + p.name + "}" for p in PLACEHOLDERS)


def unknown_names(body: str) -> list[tuple[str, int]]:
    """Each placeholder of ``body`` the program does not know, with its line (1-based)."""
    found: list[tuple[str, int]] = []
    for match in _TOKEN.finditer(body):
        name = match.group(1)
        if name is not None and lookup(name) is None:
            found.append((match.group(0), body.count("\n", 0, match.start()) + 1))
    return found


def problems_in(body: str, field_name: str = "body") -> list[Problem]:
    """The unknown placeholders of ``body`` as one problem (empty when it has none)."""
    unknown = unknown_names(body)
    if not unknown:
        return []
    names = "、".join(dict.fromkeys(text for text, _line in unknown))
    return [
        Problem(
            field_name, MSG_UNKNOWN, {"names": names, "line": unknown[0][1], "known": known_list()}
        )
    ]


def used(body: str) -> list[Placeholder]:
    """The known placeholders ``body`` uses, in order, each once."""
    seen: dict[str, Placeholder] = {}
    for match in _TOKEN.finditer(body):
        name = match.group(1)
        found = lookup(name) if name is not None else None
        if found is not None:
            seen.setdefault(found.name, found)
    return list(seen.values())


@dataclass(frozen=True)
class Filled:
    text: str
    empty: tuple[str, ...]  # placeholders the case has no value for (filled with "")
    unknown: tuple[str, ...]  # placeholders not known: the text must not be used as it is


def fill(body: str, values: Mapping[str, str]) -> Filled:
    """``body`` with each placeholder replaced by ``values[name]`` (by Chinese name)."""
    empty: dict[str, None] = {}
    unknown: dict[str, None] = {}

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        found = lookup(match.group(1))
        if found is None:
            unknown[token] = None
            return token
        value = values.get(found.name, "")
        if not value:
            empty["{" + found.name + "}"] = None
        return value

    text = _TOKEN.sub(replace, body)
    return Filled(text, tuple(empty), tuple(unknown))


def in_language(body: str) -> str:
    """``body`` with its placeholders written as the active language writes them (the English
    aliases for English; the Chinese names otherwise)."""
    english = current_locale() != "zh_CN"

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        found = lookup(name) if name is not None else None
        if found is None:
            return match.group(0)
        return "{" + (found.alias if english else found.name) + "}"

    return _TOKEN.sub(replace, body)


def long_date(day: dt.date | None) -> str:
    """A date as a letter writes it: 2026年12月7日 in Chinese."""
    if day is None:
        return ""
    if current_locale() == "zh_CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return format_date(day, "long")


def _label(enum: type[Kind] | type[Category], code: str) -> str:
    member = enum.parse(code)
    return member.label if member is not None else code


def case_values(view: CaseWindowView, operator: str, today: dt.date) -> dict[str, str]:
    """What each placeholder is filled with for the case ``view`` (as its reader sees it:
    a confidential caller masked unless they may see it), by the person ``operator``."""
    case = view.case
    enterprise = view.enterprise
    return {
        "企业名称": enterprise.name if enterprise is not None else "",
        "统一社会信用代码": enterprise.uscc if enterprise is not None else "",
        "案件编号": case.case_no,
        "诉求标题": view.texts.get("subject", ""),
        "诉求类型": _label(Kind, case.kind),
        "诉求类别": _label(Category, case.category),
        "受理日期": long_date(case.received_at.date()),
        "办理期限": long_date(case.deadline),  # an approved extension moved it
        "承办单位": view.department,
        "区县": view.district,
        "来电人": view.contact_name,
        "来电人电话": view.contact_phone,
        "服务专员": enterprise.steward_name if enterprise is not None else "",
        "经办人": operator,
        "今天": long_date(today),
    }


def describe(placeholder: Placeholder) -> str:
    return _(placeholder.description)
