"""Every keyboard shortcut of the program, in one table: one meaning per key everywhere.

The windows take their keys from here (``keys("close_case")``, ``bind(...)``), the F1 dialog
lists this table, and README's shortcut table is generated from it
(``python tools/shortcuts_doc.py``); tests check that no key has two meanings and that every
window's actions and shortcuts use keys of this table.

Keys are written in Qt's portable form (``Ctrl+S``); on macOS Qt shows Ctrl as ⌘.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline.i18n import N_, _

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence, QShortcut
    from PySide6.QtWidgets import QWidget

# Where a shortcut works (id → name shown to the user).
WHERE: dict[str, str] = {
    "main": N_("主窗口"),
    "case": N_("案件窗口"),
    "intake": N_("登记窗口"),
    "checklist": N_("首错免罚评估"),
    "enterprise": N_("企业档案"),
    "handover": N_("交接班"),
    "preview": N_("报告预览"),
    "statistics": N_("统计"),
    "directory": N_("企业名录"),
    "dialog": N_("操作对话框"),
    "reply_texts": N_("常用语"),
    "knowledge": N_("知识库"),
}


@dataclass(frozen=True)
class Shortcut:
    name: str
    keys: tuple[str, ...]  # the first is the one shown on buttons
    description: str  # message id
    where: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.keys[0]


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("new_case", ("Ctrl+N",), N_("新建案件（登记来电）"), ("main", "intake")),
    Shortcut(
        "save",
        ("Ctrl+S",),
        N_("保存（登记、评估、企业档案、交接记录、常用语；预览中另存为）"),
        ("intake", "checklist", "enterprise", "handover", "preview", "reply_texts"),
    ),
    Shortcut("confirm", ("Ctrl+Return",), N_("确认并提交当前表单"), ("intake", "dialog")),
    Shortcut(
        "cancel",
        ("Esc",),
        N_("取消或关闭（清空搜索框、取消登记、关闭窗口或对话框）"),
        ("main", "case", "intake", "enterprise", "preview", "dialog"),
    ),
    Shortcut(
        "close_window",
        ("Ctrl+W",),
        N_("关闭窗口"),
        ("case", "enterprise", "preview", "statistics", "directory", "reply_texts"),
    ),
    Shortcut("quit", ("Ctrl+Q",), N_("退出程序"), ("main",)),
    Shortcut(
        "search",
        ("Ctrl+F",),
        N_("搜索（移到搜索框）"),
        ("main", "checklist", "directory", "reply_texts"),
    ),
    Shortcut(
        "refresh",
        ("F5",),
        N_("刷新"),
        ("main", "case", "enterprise", "handover", "statistics", "directory"),
    ),
    Shortcut(
        "open_case",
        ("Return", "Enter"),
        N_("打开所选项（案件列表中的案件；附件页中的文件，用系统程序）"),
        ("main", "handover", "statistics", "case"),
    ),
    Shortcut("enterprise", ("Ctrl+E",), N_("打开案件所属企业的档案"), ("main", "case")),
    Shortcut("handover", ("Ctrl+Shift+H",), N_("交接班"), ("main",)),
    Shortcut("lock", ("Ctrl+L",), N_("锁定屏幕"), ("main",)),
    Shortcut("sign_out", ("Ctrl+Shift+L",), N_("注销并切换用户"), ("main",)),
    Shortcut("settings", ("Ctrl+,",), N_("设置"), ("main",)),
    Shortcut("shortcuts", ("F1",), N_("列出全部键盘快捷键"), ("main", "case", "intake")),
    Shortcut(
        "print",
        ("Ctrl+P",),
        N_("打印：所选案件或本案件的摘要 PDF；预览中发送到打印机"),
        ("main", "case", "preview"),
    ),
    Shortcut("weekly_report", ("Ctrl+Shift+R",), N_("营商环境周报"), ("main",)),
    Shortcut("statistics", ("Ctrl+Shift+T",), N_("统计（任意时段的图表与分类统计）"), ("main",)),
    Shortcut("copy_case_no", ("Ctrl+C",), N_("复制所选案件的编号（在案件列表中）"), ("main",)),
    Shortcut(
        "context_menu", ("Shift+F10", "Menu"), N_("所选案件的操作菜单（在案件列表中）"), ("main",)
    ),
    *(
        Shortcut(f"view_{number}", (f"Ctrl+{number}",), N_("切换到第 {number} 个视图"), ("main",))
        for number in range(1, 10)
    ),
    Shortcut(
        "dispatch", ("Ctrl+D",), N_("派单（主窗口中：所选的一个或多个案件）"), ("main", "case")
    ),
    Shortcut("reply", ("Ctrl+R",), N_("录入答复"), ("case",)),
    Shortcut("callback", ("Ctrl+K",), N_("回访"), ("case",)),
    Shortcut("close_case", ("Ctrl+J",), N_("办结案件"), ("case",)),
    Shortcut("note", ("Ctrl+M",), N_("添加备注"), ("case",)),
    Shortcut("correct", ("F2",), N_("更正案件的登记信息"), ("case",)),
    Shortcut(
        "add_attachment", ("Ctrl+Shift+A",), N_("添加附件（打开附件页和文件对话框）"), ("case",)
    ),
    Shortcut("accept", ("Ctrl+G",), N_("签收派来的案件（部门）"), ("case",)),
    Shortcut("supervise", ("Ctrl+Shift+U",), N_("督办（催办或督办通知）"), ("case",)),
    Shortcut(
        "reply_text_expand",
        ("Tab",),
        N_(
            "在简码后按：展开常用语（答复、回访、备注、退回、督办等文本框；不是简码时照常移到下一项）"
        ),
        ("dialog",),
    ),
    Shortcut(
        "reply_text_list",
        # Ctrl+Space switches the input method on many Chinese desks (Windows, fcitx, ibus)
        # and may never reach the program: Alt+/ always does.
        ("Alt+/", "Ctrl+Space"),
        N_("常用语列表（在上述文本框中；输入简码、标题或拼音首字母筛选，Enter 插入）"),
        ("dialog",),
    ),
    Shortcut("take_caller", ("F3",), N_("来电弹屏：采用所选的来电人和企业填入表单"), ("intake",)),
    Shortcut(
        "follow_up",
        ("F4",),
        N_("来电弹屏：在来电人的在办案件上记录催办（不新建案件）"),
        ("intake",),
    ),
    Shortcut(
        "call_new_form",
        ("Ctrl+Shift+N",),
        N_("为新来电打开另一张登记表单（正在填写的表单不变）"),
        ("intake",),
    ),
    Shortcut("confidential", ("Ctrl+B",), N_("切换“来电人要求保密”"), ("intake",)),
    Shortcut("urgency", ("Ctrl+U",), N_("移到“紧急程度”"), ("intake",)),
    Shortcut("knowledge_best", ("F6",), N_("打开知识库中的最佳匹配"), ("intake",)),
    Shortcut("knowledge", ("Ctrl+Shift+K",), N_("知识库"), ("main",)),
    Shortcut("open_external", ("Ctrl+Shift+O",), N_("用系统程序打开 PDF"), ("preview",)),
    Shortcut("zoom_in", ("Ctrl++",), N_("放大"), ("preview",)),
    Shortcut("zoom_out", ("Ctrl+-",), N_("缩小"), ("preview",)),
    Shortcut("fit_width", ("Ctrl+0",), N_("适合宽度"), ("preview",)),
)

BY_NAME: dict[str, Shortcut] = {s.name: s for s in SHORTCUTS}


def shortcut(name: str) -> Shortcut:
    return BY_NAME[name]


def key(name: str) -> str:
    """The main key of the shortcut ``name`` (portable text, e.g. ``Ctrl+S``)."""
    return BY_NAME[name].key


def shown(name: str) -> str:
    """The key of ``name`` as the user's platform writes it (for buttons and tooltips)."""
    from PySide6.QtGui import QKeySequence

    return QKeySequence(key(name)).toString(QKeySequence.SequenceFormat.NativeText)


def description(item: Shortcut) -> str:
    text = _(item.description)
    if item.name.startswith("view_"):
        text = text.format(number=item.name.removeprefix("view_"))
    return text


def places(item: Shortcut) -> str:
    return _("、").join(_(WHERE[where]) for where in item.where)


def sequences(name: str) -> list[QKeySequence]:
    from PySide6.QtGui import QKeySequence

    return [QKeySequence(text) for text in BY_NAME[name].keys]


def bind(
    name: str,
    parent: QWidget,
    slot: Callable[[], object],
    context: Qt.ShortcutContext | None = None,
) -> list[QShortcut]:
    """QShortcuts on ``parent`` for every key of the shortcut ``name``, calling ``slot``."""
    from PySide6.QtGui import QShortcut

    made = []
    for sequence in sequences(name):
        item = QShortcut(sequence, parent)
        item.activated.connect(slot)
        if context is not None:
            item.setContext(context)
        made.append(item)
    return made
