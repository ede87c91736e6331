"""Who may do what: one table, checked by every service call; the window follows it too."""

from __future__ import annotations

import getpass
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from hotline.enums import Role
from hotline.errors import PermissionDenied
from hotline.i18n import N_, _


class Action(StrEnum):
    CASE_VIEW = "case.view"
    CASE_VIEW_CONFIDENTIAL = "case.view_confidential"
    CASE_REGISTER = "case.register"
    CASE_ANSWER_ON_SPOT = "case.answer_on_spot"
    CASE_DISPATCH = "case.dispatch"
    CASE_RETURN = "case.return"
    CASE_REQUEST_EXTENSION = "case.request_extension"
    CASE_DECIDE_EXTENSION = "case.decide_extension"
    CASE_REPLY = "case.reply"
    CASE_CALLBACK = "case.callback"
    CASE_CLOSE = "case.close"
    CASE_REOPEN = "case.reopen"
    CASE_WITHDRAW = "case.withdraw"
    CASE_ADD_NOTE = "case.add_note"
    CASE_CORRECT = "case.correct"  # correct what intake recorded (hotline.corrections)
    CASE_CORRECT_CLOSED = "case.correct_closed"  # … of a closed or withdrawn case
    CASE_EXPORT = "case.export"
    CASE_IMPORT = "case.import"
    EXEMPTION_ASSESS = "exemption.assess"
    EXEMPTION_OVERRIDE = "exemption.override"
    CATALOGUE_MANAGE = "catalogue.manage"
    REPORT_VIEW = "report.view"
    HANDOVER_WRITE = "handover.write"
    USER_MANAGE = "user.manage"
    SETTINGS_MANAGE = "settings.manage"
    AUDIT_VIEW = "audit.view"
    BACKUP = "backup.run"
    ENTERPRISE_MANAGE = "enterprise.manage"
    ATTACHMENT_ADD = "attachment.add"  # documents on a case (hotline.attachments)
    ATTACHMENT_VIEW = "attachment.view"
    ATTACHMENT_REMOVE = "attachment.remove"  # shift leads and above; a tombstone stays
    CASE_ACCEPT = "case.accept"  # a department accepts a dispatched case (签收)
    CASE_SUPERVISE = "case.supervise"  # issue a supervision notice (催办/督办)
    CASE_GRANT_CALLER = "case.grant_caller"  # let the department see a confidential caller
    REPLY_TEXT_SHARED = "reply_text.shared"  # write the centre's shared reply texts (常用语)
    KNOWLEDGE_EDIT = "knowledge.edit"  # write, publish and retire knowledge articles


_CASE_WORK = {
    Action.CASE_VIEW,
    Action.CASE_VIEW_CONFIDENTIAL,
    Action.CASE_REGISTER,
    Action.CASE_ANSWER_ON_SPOT,
    Action.CASE_DISPATCH,
    Action.CASE_RETURN,
    Action.CASE_REQUEST_EXTENSION,
    Action.CASE_REPLY,
    Action.CASE_CALLBACK,
    Action.CASE_CLOSE,
    Action.CASE_REOPEN,
    Action.CASE_WITHDRAW,
    Action.CASE_ADD_NOTE,
    Action.CASE_CORRECT,
    Action.EXEMPTION_ASSESS,
    Action.EXEMPTION_OVERRIDE,
    Action.HANDOVER_WRITE,
    Action.REPORT_VIEW,
    Action.ATTACHMENT_ADD,
    Action.ATTACHMENT_VIEW,
}

# Only a department accepts its cases: the centre does not sign for a department.
_DEPARTMENT_ONLY = {Action.CASE_ACCEPT}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.OPERATOR: frozenset(_CASE_WORK),
    Role.SHIFT_LEAD: frozenset(
        _CASE_WORK
        | {
            Action.CASE_DECIDE_EXTENSION,
            Action.CASE_EXPORT,
            Action.CASE_IMPORT,
            Action.CASE_CORRECT_CLOSED,
            Action.ENTERPRISE_MANAGE,
            Action.ATTACHMENT_REMOVE,
            Action.CASE_SUPERVISE,
            Action.CASE_GRANT_CALLER,
            Action.REPLY_TEXT_SHARED,
            Action.KNOWLEDGE_EDIT,
        }
    ),
    Role.MANAGER: frozenset(
        {
            Action.CASE_VIEW,
            Action.CASE_ADD_NOTE,
            Action.REPORT_VIEW,
            Action.CASE_EXPORT,
            Action.ATTACHMENT_VIEW,
            Action.ATTACHMENT_REMOVE,
            Action.CASE_SUPERVISE,
            Action.CASE_GRANT_CALLER,
        }
    ),
    Role.ADMIN: frozenset(set(Action) - _DEPARTMENT_ONLY),
    # A department's staff, on their own department's cases only (hotline.access): never
    # the classification, the dispatch, a confidential caller (unless granted per case),
    # an export or another department's case.
    Role.DEPARTMENT: frozenset(
        {
            Action.CASE_VIEW,
            Action.CASE_ACCEPT,
            Action.CASE_RETURN,
            Action.CASE_REQUEST_EXTENSION,
            Action.CASE_REPLY,
            Action.CASE_ADD_NOTE,
            Action.ATTACHMENT_ADD,  # documents with their reply
            Action.ATTACHMENT_VIEW,
        }
    ),
}

ACTION_LABELS = {
    Action.CASE_REGISTER: N_("登记案件"),
    Action.CASE_DISPATCH: N_("派单"),
    Action.CASE_CORRECT: N_("更正案件"),
    Action.CASE_CORRECT_CLOSED: N_("更正已办结或已撤销的案件"),
    Action.CASE_DECIDE_EXTENSION: N_("审批延期"),
    Action.USER_MANAGE: N_("管理用户"),
    Action.SETTINGS_MANAGE: N_("修改系统设置"),
    Action.CATALOGUE_MANAGE: N_("管理首错免罚清单"),
    Action.CASE_IMPORT: N_("批量导入"),
    Action.CASE_EXPORT: N_("导出"),
    Action.AUDIT_VIEW: N_("查看审计日志"),
    Action.BACKUP: N_("备份与恢复"),
    Action.ENTERPRISE_MANAGE: N_("管理企业档案（更名、合并）"),
    Action.ATTACHMENT_ADD: N_("添加案件附件"),
    Action.ATTACHMENT_VIEW: N_("查看案件附件"),
    Action.ATTACHMENT_REMOVE: N_("删除案件附件"),
    Action.CASE_ACCEPT: N_("签收案件"),
    Action.CASE_SUPERVISE: N_("督办"),
    Action.CASE_GRANT_CALLER: N_("向承办单位开放保密来电人信息"),
    Action.CASE_RETURN: N_("退回案件"),
    Action.CASE_REQUEST_EXTENSION: N_("申请延期"),
    Action.CASE_REPLY: N_("答复"),
    Action.REPLY_TEXT_SHARED: N_("管理共享常用语"),
    Action.KNOWLEDGE_EDIT: N_("编辑知识库"),
}


# Stored after the name of whoever acted from the command line (timeline, cases, handover
# notes, PDFs, audit log), so that no reader takes it for the same person in the app.
CLI_MARK = "（命令行）"
NAME_LIMIT = 40  # the stored name columns (actor_name, registered_by_name, author_name)

MSG_NAME_CHARACTERS = N_("名称不能含有控制字符、零宽字符或文字方向控制符")
# Control, format (zero-width, bidi), surrogate, private-use, line and paragraph separators.
_UNSAFE_IN_NAMES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def has_unsafe_name_characters(name: str) -> bool:
    """Whether ``name`` holds a character that hides or rearranges text around it."""
    return any(unicodedata.category(ch) in _UNSAFE_IN_NAMES for ch in name)


def escaped_name(name: str) -> str:
    """``name`` with those characters spelled ``\\u200b``, for a message that shows it."""
    return "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch) in _UNSAFE_IN_NAMES else ch for ch in name
    )


def shown_name(stored: str) -> str:
    """A stored actor name for display: the command-line mark in the user's language."""
    if stored.endswith(CLI_MARK):
        return _("{name}（命令行）").format(name=stored[: -len(CLI_MARK)])
    return stored


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the operating-system user of a command line."""

    name: str
    role: Role
    user_id: int | None = None
    via: str = "app"
    # The department a user of role 部门 works for (None: no department, sees no case).
    department_id: int | None = None

    @classmethod
    def command_line(cls, name: str | None = None, user_id: int | None = None) -> Actor:
        """Command-line work: whoever may write the database administers it (the file's
        permissions, or the server's, are the gate). The name carries :data:`CLI_MARK`."""
        base = (name or os_user())[: NAME_LIMIT - len(CLI_MARK)]
        return cls(name=base + CLI_MARK, role=Role.ADMIN, user_id=user_id, via="cli")

    def can(self, action: Action) -> bool:
        return action in PERMISSIONS.get(self.role, frozenset())

    def require(self, action: Action) -> None:
        if not self.can(action):
            label = ACTION_LABELS.get(action)
            raise PermissionDenied(
                "当前角色（{role}）无权执行此操作：{action}",
                role=self.role.label,
                action=_(label) if label else action.value,
            )


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "system"
