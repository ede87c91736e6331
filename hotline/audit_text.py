"""The audit trail in words: each entry as a sentence, with names instead of internal ids.

The stored entries (``hotline.audit``) keep codes and ids, which the hash chain covers and
which must never change; this module words them for people, in the active language: who did
what to which case, user, department, district or enterprise (their names resolved in a few
queries per page), and keeps the raw record at hand for whoever needs it.

An action this module does not know yet (a newer version's) is still shown: its code and
object, and the raw record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from hotline import audit
from hotline.enums import Category, Kind, LabelledEnum, Role, Satisfaction
from hotline.i18n import N_, _, format_date, format_number
from hotline.models import Department, District, Enterprise, User
from hotline.permissions import Actor, shown_name

# What each action's object is, for an action without a sentence of its own.
ENTITY_LABELS = {
    "case": N_("案件"),
    "user": N_("用户"),
    "department": N_("承办单位"),
    "district": N_("区县"),
    "enterprise": N_("企业"),
    "holiday": N_("节假日"),
    "setting": N_("设置"),
    "report": N_("报告"),
    "handover": N_("交接班记录"),
    "database": N_("数据库"),
    "exemption_catalogue": N_("首错免罚清单"),
    "reply_text": N_("常用语"),
    "knowledge": N_("知识"),
}

# Changes of the centre's shared reply texts (hotline.reply_texts).
REPLY_TEXT = {
    "reply_text.create": N_("新增共享常用语 {code}（{title}）"),
    "reply_text.update": N_("修改共享常用语 {code}（{title}）"),
    "reply_text.delete": N_("删除共享常用语 {code}（{title}）"),
    "reply_text.import": N_("导入共享常用语 {count} 条：{codes}"),
}

# Actions whose sentence needs nothing but the object's name.
SIMPLE = {
    "case.answer_on_spot": N_("当场答复并办结案件 {case}"),
    "case.reply": N_("录入案件 {case} 的承办单位答复"),
    "case.close": N_("办结案件 {case}"),
    "case.accept": N_("签收案件 {case}"),
    "case.supervise": N_("对案件 {case} 发出督办"),
    "case.answer_supervision": N_("答复案件 {case} 的督办"),
    "case.answer_assist": N_("向主办单位答复案件 {case} 的会办意见"),
    "case.grant_caller": N_("向承办单位开放案件 {case} 的保密来电人信息"),
    "case.return": N_("退回案件 {case}"),
    "case.reopen": N_("重办案件 {case}（进入下一轮）"),
    "case.withdraw": N_("撤销案件 {case}"),
    "case.note": N_("为案件 {case} 添加备注"),
    "exemption.override": N_("改判案件 {case} 的首次违法认定"),
    "server.setup": N_("设置服务器数据库（server setup）"),
    "server.upgrade": N_("升级服务器数据库（server upgrade）"),
    "server.convert": N_("把单一登录的数据库转为每人一个登录角色（server convert）"),
    "user.sign_in": N_("登录"),
    "user.unlock": N_("解除屏幕锁定"),
    "user.change_password": N_("修改了自己的密码"),
    "user.reset_password": N_("重置用户 {user} 的密码"),
    "user.activate": N_("启用用户 {user}"),
    "user.deactivate": N_("停用用户 {user}"),
    "department.activate": N_("启用承办单位 {department}"),
    "department.deactivate": N_("停用承办单位 {department}"),
    "district.activate": N_("启用区县 {district}"),
    "district.deactivate": N_("停用区县 {district}"),
    "holiday.remove": N_("取消 {day} 的节假日或调休设置"),
    "policy.update": N_("修改办理时限设置"),
    "enterprise.update": N_("修改企业 {enterprise} 的行业或服务专员"),
    "report.statistics_xlsx": N_("导出 {period} 的统计表（Excel）"),
}


@dataclass(frozen=True)
class WordedEntry:
    """One audit entry as the audit window shows it."""

    id: int
    at: dt.datetime
    actor: str  # the person (a command line's marked as such)
    action: str  # the stored code, e.g. ``case.dispatch``
    sentence: str  # what happened, in words
    raw: str  # the stored record, for whoever needs it


@dataclass
class Names:
    """The names of the objects a page of entries refers to (looked up in bulk)."""

    users: dict[int, str]
    departments: dict[int, str]
    districts: dict[str, str]
    enterprises: dict[int, str]

    @classmethod
    def lookup(cls, lines: Iterable[audit.AuditLine]) -> Names:
        user_ids: set[int] = set()
        department_ids: set[int] = set()
        district_codes: set[str] = set()
        enterprise_ids: set[int] = set()
        for line in lines:
            detail = _detail(line)
            after = _part(detail, "after")
            if line.entity == "user":
                _add_int(user_ids, line.entity_id)
            elif line.entity == "department":
                _add_int(department_ids, line.entity_id)
            elif line.entity == "district":
                district_codes.add(line.entity_id)
            elif line.entity == "enterprise":
                _add_int(enterprise_ids, line.entity_id)
            _add_int(enterprise_ids, detail.get("enterprise_id"))
            _add_int(department_ids, after.get("department"))
            if line.action == "user.set_department":
                _add_int(department_ids, detail.get("after"))
        return cls(
            users=_names(User, User.id, user_ids, lambda u: f"{u.display_name}（{u.username}）"),
            departments=_names(Department, Department.id, department_ids, lambda d: d.name),
            districts=_names(District, District.code, district_codes, lambda d: d.name),
            enterprises=_names(Enterprise, Enterprise.id, enterprise_ids, lambda e: e.name),
        )

    def user(self, key: object) -> str:
        return self.users.get(_int(key) or 0) or _("用户 #{id}").format(id=key)

    def department(self, key: object) -> str:
        return self.departments.get(_int(key) or 0) or _("承办单位 #{id}").format(id=key)

    def district(self, key: object) -> str:
        return self.districts.get(str(key)) or str(key)

    def enterprise(self, key: object) -> str:
        return self.enterprises.get(_int(key) or 0) or _("企业 #{id}").format(id=key)


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _add_int(found: set[int], value: object) -> None:
    number = _int(value) if value not in (None, "") else None
    if number is not None:
        found.add(number)


def _names(model: Any, key: Any, wanted: set[Any], name: Callable[[Any], str]) -> dict[Any, str]:
    if not wanted:
        return {}
    return {getattr(row, key.name): name(row) for row in model.select().where(key.in_(wanted))}


def _detail(line: audit.AuditLine) -> dict[str, Any]:
    try:
        value = json.loads(line.detail or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _part(detail: dict[str, Any], key: str) -> dict[str, Any]:
    value = detail.get(key)
    return value if isinstance(value, dict) else {}


def _label(enum: type[LabelledEnum], value: object) -> str:
    member = enum.parse(value)
    return member.label if member is not None else str(value or "")


def _date(value: object) -> str:
    try:
        return format_date(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value or "")


def shown_actor(stored: str) -> str:
    """The stored actor (``张三``, ``root（命令行）@cli``, ``admin@setup``) for people."""
    name, _sep, via = stored.rpartition("@") if "@" in stored else (stored, "", "")
    if via == "setup":
        return _("{name}（首次设置）").format(name=name)
    return shown_name(name)


def sentence(line: audit.AuditLine, names: Names) -> str:
    """What the entry records, in one sentence of the active language."""
    d = _detail(line)
    after = _part(d, "after")
    before = _part(d, "before")
    action = line.action
    values: dict[str, Any] = {
        "case": line.entity_id,
        "user": names.user(line.entity_id) if line.entity == "user" else "",
        "department": names.department(line.entity_id) if line.entity == "department" else "",
        "district": names.district(line.entity_id) if line.entity == "district" else "",
        "enterprise": names.enterprise(line.entity_id) if line.entity == "enterprise" else "",
        "day": _date(line.entity_id),
        "period": line.entity_id,
    }
    if action in SIMPLE:
        return _(SIMPLE[action]).format(**values)
    if action in REPLY_TEXT:
        shown = after or d
        return _(REPLY_TEXT[action]).format(
            code=shown.get("code", line.entity_id),
            title=shown.get("title", ""),
            count=d.get("count", 0),
            codes="、".join(str(c) for c in d.get("codes", [])),
        )
    worded = _special(action, line, d, before, after, names, values)
    if worded is not None:
        return worded
    entity = _(ENTITY_LABELS[line.entity]) if line.entity in ENTITY_LABELS else line.entity
    return (
        _("{action}：{entity} {id}").format(action=action, entity=entity, id=line.entity_id).strip()
    )


def _special(
    action: str,
    line: audit.AuditLine,
    d: dict[str, Any],
    before: dict[str, Any],
    after: dict[str, Any],
    names: Names,
    values: dict[str, Any],
) -> str | None:
    case = line.entity_id
    if action.startswith("knowledge."):
        from hotline.knowledge import audit_words

        return audit_words.sentence(action, line.entity_id, d)
    if action == "case.register":
        text = _("登记案件 {case}（{kind} · {category}，企业：{enterprise}）").format(
            case=case,
            kind=_label(Kind, d.get("kind")),
            category=_label(Category, d.get("category")),
            enterprise=names.enterprise(d.get("enterprise_id")),
        )
        if d.get("repeat_of"):
            text += _("，为案件 {earlier} 的重复诉求").format(earlier=d["repeat_of"])
        return text
    if action == "case.dispatch":
        return _("将案件 {case} 派至{department}，办理期限 {deadline}").format(
            case=case,
            department=names.department(after.get("department")),
            deadline=_date(after.get("deadline")),
        )
    if action == "case.callback":
        return _("回访案件 {case}，企业评价：{satisfaction}").format(
            case=case, satisfaction=_label(Satisfaction, after.get("satisfaction"))
        )
    if action == "case.request_extension":
        return _("申请将案件 {case} 的办理期限延至 {until}").format(
            case=case, until=_date(after.get("extension_until"))
        )
    if action == "case.decide_extension":
        if after.get("extension_status") == "approved":
            return _("批准案件 {case} 的延期申请，期限延至 {until}").format(
                case=case, until=_date(after.get("deadline"))
            )
        return _("驳回案件 {case} 的延期申请").format(case=case)
    if action == "case.exemption":
        from hotline.exemption.outcome import Outcome

        code = str(d.get("outcome", ""))
        label = Outcome(code).label if code in {o.value for o in Outcome} else code
        return _("保存案件 {case} 的首错免罚评估：{outcome}").format(case=case, outcome=label)
    if action == "exemption.penalty_record":
        return _("为信用代码 {uscc} 的企业登记处罚记录（清单事项 {item}，{date}）").format(
            uscc=line.entity_id, item=d.get("item", ""), date=_date(d.get("decided_on"))
        )
    if action == "exemption.catalogue_import":
        return _("导入首错免罚清单“{name}” {version} 版").format(
            name=d.get("name", ""), version=line.entity_id
        )
    if action == "report.case_pdf":
        key = N_("生成案件 {case} 的摘要 PDF（{pages} 页，含内部内容）")
        if not d.get("internal"):
            key = N_("生成案件 {case} 的摘要 PDF（{pages} 页）")
        return _(key).format(case=case, pages=d.get("pages", "?"))
    if action == "report.weekly_pdf":
        return _("生成 {week} 周报 PDF（{cases} 个案件，{pages} 页）").format(
            week=line.entity_id, cases=d.get("cases", "?"), pages=d.get("pages", "?")
        )
    if action in ("attachment.add", "attachment.view", "attachment.remove"):
        key = {
            "attachment.add": N_("为案件 {case} 添加附件“{name}”（{size}）"),
            "attachment.view": N_("查看案件 {case} 的附件“{name}”"),
            "attachment.remove": N_("删除案件 {case} 的附件“{name}”，原因：{reason}"),
        }[action]
        size = int(d.get("size") or 0)
        shown_size = (
            _("{kb} KB").format(kb=format_number(max(1, round(size / 1024))))
            if size < 1024 * 1024
            else _("{mb} MB").format(mb=f"{size / 1024 / 1024:.1f}")
        )
        return _(key).format(
            case=case, name=d.get("name", ""), size=shown_size, reason=d.get("reason", "")
        )
    if action == "attachment.import":
        return _("导入案件 {case} 的附件“{name}”").format(case=case, name=d.get("name", ""))
    if action == "attachment.export":
        return _("导出 {count} 个附件到 {file}").format(
            count=format_number(int(d.get("count") or 0)), file=d.get("file", "")
        )
    if action == "attachment_limits.update":
        return _("修改附件大小上限：单个文件 {file_mb} MB，每个案件 {case_mb} MB").format(
            file_mb=after.get("file_mb", "?"), case_mb=after.get("case_mb", "?")
        )
    if action == "report.period_pdf":
        return _("生成 {period} 统计报告 PDF（{cases} 个案件，{pages} 页）").format(
            period=line.entity_id, cases=d.get("cases", "?"), pages=d.get("pages", "?")
        )
    if action == "case.correct":
        changes = [c for c in d.get("changes", []) if isinstance(c, dict)]
        return _("更正案件 {case} 的登记信息（{count} 项），原因：{reason}").format(
            case=case, count=len(changes), reason=d.get("reason", "")
        )
    if action == "enterprise.rename":
        return _("企业更名：{before} → {after}（原名保留为曾用名）").format(
            before=d.get("before", ""), after=d.get("after", "")
        )
    if action == "enterprise.merge":
        merged, survivor = _part(d, "merged"), _part(d, "survivor")
        cases_moved = d.get("cases")
        count = len(cases_moved) if isinstance(cases_moved, list) else int(cases_moved or 0)
        return _("将重复的企业档案 {merged} 合并到 {survivor}（转移 {count} 个案件）").format(
            merged=merged.get("name", ""), survivor=survivor.get("name", ""), count=count
        )
    if action == "policy.idle_lock":
        key = N_("修改自动锁定策略：最长 {minutes} 分钟，不允许关闭")
        if after.get("allow_off"):
            key = N_("修改自动锁定策略：最长 {minutes} 分钟，允许关闭")
        return _(key).format(minutes=after.get("max_minutes", "?"))
    if action == "policy.call_listener":
        if not after.get("enabled"):
            return _("关闭来电弹屏的 HTTP 接口")
        key = N_("开启来电弹屏的 HTTP 接口：127.0.0.1 端口 {port}")
        if after.get("token_changed"):
            key = N_("开启来电弹屏的 HTTP 接口：127.0.0.1 端口 {port}，令牌已更换")
        return _(key).format(port=after.get("port", "?"))
    if action == "user.change_role":
        return _("将用户 {user} 的角色由 {before} 改为 {after}").format(
            user=values["user"],
            before=_label(Role, d.get("before")),
            after=_label(Role, d.get("after")),
        )
    if action == "user.sign_out":
        return _("注销登录")
    if action == "user.set_department":
        if d.get("after") is None:
            return _("取消用户 {user} 的所属承办单位").format(user=values["user"])
        return _("将用户 {user} 的所属承办单位设为 {department}").format(
            user=values["user"], department=names.department(d.get("after"))
        )
    if action == "audit.export":
        return _("导出审计日志（{count} 条）").format(count=format_number(int(d.get("rows") or 0)))
    if action == "case.export":
        key = N_("导出 {count} 个案件（{format}）")
        if d.get("masked"):
            key = N_("导出 {count} 个案件（{format}，联系方式已遮盖）")
        return _(key).format(count=format_number(int(d.get("count") or 0)), format=d.get("format"))
    if action == "case.import":
        return _("从 {source} 导入 {count} 个案件").format(
            source=d.get("source", ""), count=format_number(int(d.get("count") or 0))
        )
    if action == "user.create":
        return _("创建用户 {user}，角色：{role}").format(
            user=values["user"], role=_label(Role, d.get("role"))
        )
    if action in ("user.sign_in_failed", "user.unlock_failed"):
        key = (
            N_("登录失败：密码错误")
            if action == "user.sign_in_failed"
            else N_("解锁失败：密码错误")
        )
        text = _(key)
        if d.get("locked"):
            text += _("，账号已暂时锁定")
        return text
    if action == "department.create":
        return _("新增承办单位 {name}").format(name=d.get("name", line.entity_id))
    if action == "department.update":
        return _("修改承办单位 {department}（原为：{before}）").format(
            department=after.get("name") or values["department"],
            before=before.get("name", ""),
        )
    if action == "district.create":
        return _("新增区县 {name}（{code}）").format(name=d.get("name", ""), code=line.entity_id)
    if action == "district.update":
        return _("将区县 {code} 的名称由“{before}”改为“{after}”").format(
            code=line.entity_id, before=d.get("before", ""), after=d.get("after", "")
        )
    if action == "holiday.set":
        key = N_("将 {day} 设为调休上班日") if d.get("is_workday") else N_("将 {day} 设为休息日")
        text = _(key).format(day=values["day"])
        if d.get("note"):
            text += _("（{note}）").format(note=d["note"])
        return text
    if action == "enterprise.create":
        return _("新建企业档案：{name}").format(name=d.get("name", ""))
    if action == "enterprise.set_uscc":
        return _("为企业 {enterprise} 补录统一社会信用代码 {uscc}").format(
            enterprise=values["enterprise"], uscc=d.get("uscc", "")
        )
    if action == "handover.write":
        return _("写交接班记录（{length} 字）").format(length=d.get("length", "?"))
    if action == "demo.generate":
        return _("生成 {count} 个演示案件").format(count=format_number(int(d.get("cases") or 0)))
    if action == "demo.batch":
        table = _(ENTITY_LABELS.get(line.entity, line.entity))
        return _("写入演示数据：{table} {count} 条（编号 {first}–{last}）").format(
            table=table,
            count=format_number(int(d.get("count") or 0)),
            first=d.get("first_id", ""),
            last=d.get("last_id", ""),
        )
    return None


def raw_text(line: audit.AuditLine) -> str:
    """The stored record, readable: its codes, object and detail (indented JSON)."""
    detail = _detail(line)
    body = json.dumps(detail, ensure_ascii=False, indent=2, sort_keys=True) if detail else "{}"
    return "\n".join(
        [
            f"#{line.id}  {line.at.isoformat(sep=' ', timespec='seconds')}",
            f"actor: {line.actor}",
            f"action: {line.action}",
            f"entity: {line.entity} {line.entity_id}".rstrip(),
            f"detail: {body}",
        ]
    )


def worded(lines: Sequence[audit.AuditLine]) -> list[WordedEntry]:
    """The entries in words (the names they refer to read in a few queries)."""
    names = Names.lookup(lines)
    return [
        WordedEntry(
            id=line.id,
            at=line.at,
            actor=shown_actor(line.actor),
            action=line.action,
            sentence=sentence(line, names),
            raw=raw_text(line),
        )
        for line in lines
    ]


def worded_entries(
    actor: Actor, *, before_id: int | None = None, limit: int = 200
) -> list[WordedEntry]:
    """A page of the audit trail, newest first, in words (needs ``audit.view``)."""
    return worded(audit.entries(actor, before_id=before_id, limit=limit))


__all__ = [
    "Names",
    "WordedEntry",
    "raw_text",
    "sentence",
    "shown_actor",
    "worded",
    "worded_entries",
]
