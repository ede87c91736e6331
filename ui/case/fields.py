"""The case window's reading side: the header, the deadline strip, and every field of the case."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from hotline.case_calls import CaseCallView, format_duration
from hotline.case_view import CaseWindowView
from hotline.cohandling import STATE_LABELS, Part
from hotline.enums import Category, Channel, Kind, Satisfaction, Status, Urgency
from hotline.i18n import _, format_date, format_datetime
from hotline.supervision import Notice

CHIP = "border-radius: 3px; padding: 2px 8px; font-weight: bold;"
CHIP_STYLES = {
    "status": "background: #e3e8ef; color: #1f2d3d;",
    "urgent": "background: #b3261e; color: white;",
    "confidential": "background: #5b3f8c; color: white;",
    "repeat": "background: #e0a040; color: #3d2600;",
}
STRIP_STYLES = {
    "overdue": "background: #fdecea; border: 1px solid #e5a29b; color: #7a1c14;",
    "soon": "background: #fff4e5; border: 1px solid #e0a040; color: #5c3900;",
    "normal": "background: #eef3f8; border: 1px solid #c5d3e3; color: #1f2d3d;",
    "done": "background: #e8f5e9; border: 1px solid #9ccc9f; color: #1b4d1f;",
}


def _label_of(enum: type, code: str | None) -> str:
    member = enum.parse(code) if code else None  # type: ignore[attr-defined]
    return member.label if member is not None else (code or "")


def _chip(kind: str) -> QLabel:
    chip: QLabel = QLabel(objectName=f"{kind}Chip")
    chip.setStyleSheet(f"QLabel {{ {CHIP_STYLES[kind]} {CHIP} }}")
    return chip


def deadline_text(snapshot: CaseWindowView) -> tuple[str, str]:
    """What the strip under the header says, and its style key."""
    case, state = snapshot.case, snapshot.deadline
    status = Status(case.status)
    if status == Status.WITHDRAWN:
        return _("已撤销"), "done"
    if status == Status.CLOSED:
        return _("已于 {time} 办结").format(time=format_datetime(case.closed_at)), "done"
    if status in (Status.REPLIED, Status.CALLED_BACK):
        return _("部门已于 {time} 答复").format(time=format_datetime(case.handled_at)), "done"
    if state is None or not state.running:
        if status == Status.RETURNED:
            return _("已被退回，待重新派单"), "soon"
        return _("待派单"), "normal"
    due = format_date(state.due)
    if state.overdue:
        text = _("已超期 {days} 个工作日（办理期限 {date}）").format(
            days=-state.remaining, date=due
        )
        if state.remaining == 0:
            text = _("已超期（办理期限 {date}）").format(date=due)
        return text, "overdue"
    if state.remaining == 0:
        return _("今日到期（办理期限 {date}）").format(date=due), "soon"
    text = _("办理期限 {date}，剩余 {days} 个工作日").format(date=due, days=state.remaining)
    return text, "soon" if state.due_soon else "normal"


def notice_text(notices: Sequence[Notice]) -> str:
    """Unanswered supervision notices, one line each: level, by when, who, what."""
    lines = [
        _("{level}：请于 {date} 前答复（{who} {at} 发出）：{text}").format(
            level=n.level_label,
            date=format_date(n.answer_by),
            who=n.issued_by,
            at=format_datetime(n.issued_at),
            text=n.text,
        )
        for n in notices
    ]
    return "\n".join(lines)


def part_text(part: Part) -> str:
    """One assisting department's part: who, by when, its state and its answer."""
    state = _(STATE_LABELS[part.state])
    if part.answered_at is not None:
        timing = _("按期") if part.on_time else _("超期")
        state = _("{when} {who} 答复（{timing}）").format(
            when=format_datetime(part.answered_at), who=part.answered_by, timing=timing
        )
    elif part.open and part.overdue():
        state = _("已超期，待答复")
    line = _("{department} · 期限 {date} · {state}").format(
        department=part.department, date=format_date(part.deadline), state=state
    )
    if part.answer:
        line += "\n" + _("　会办意见：{text}").format(text=part.answer)
    return line


def parts_text(parts: Sequence[Part]) -> str:
    return "\n".join(part_text(p) for p in parts)


class CaseHeader(QWidget):
    """Case number, chips (status, urgent, confidential, repeat) and the deadline strip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.number = QLabel(objectName="caseNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.number.setFont(font)
        self.subject = QLabel(wordWrap=True, objectName="caseSubject")
        subject_font = self.subject.font()
        subject_font.setPointSizeF(subject_font.pointSizeF() * 1.2)
        self.subject.setFont(subject_font)
        self.status = _chip("status")
        self.urgent = _chip("urgent")
        self.confidential = _chip("confidential")
        self.repeat = _chip("repeat")
        row.addWidget(self.number)
        for chip in (self.status, self.urgent, self.confidential, self.repeat):
            row.addWidget(chip)
        row.addWidget(self.subject, 1)
        layout.addLayout(row)
        self.strip = QLabel(objectName="deadlineStrip", wordWrap=True)
        layout.addWidget(self.strip)
        # The supervision notices not yet answered (督办), until the department answers them.
        self.notices = QLabel(objectName="supervisionNotice", wordWrap=True)
        self.notices.setStyleSheet(
            "QLabel { background: #fce8e6; color: #a50e0e; border: 1px solid #f28b82;"
            " border-radius: 4px; padding: 8px 12px; }"
        )
        self.notices.hide()
        layout.addWidget(self.notices)
        # An assisting department's own part (会办): by when, to whom, answered or not.
        self.assist = QLabel(objectName="assistNotice", wordWrap=True)
        self.assist.setStyleSheet(
            "QLabel { background: #e8f0fe; color: #174ea6; border: 1px solid #aecbfa;"
            " border-radius: 4px; padding: 8px 12px; }"
        )
        self.assist.hide()
        layout.addWidget(self.assist)

    def show_snapshot(self, snapshot: CaseWindowView) -> None:
        case = snapshot.case
        self.number.setText(case.case_no)
        self.subject.setText(snapshot.texts["subject"])
        status = _label_of(Status, case.status)
        if case.round > 1:
            status = _("{status} · 第 {round} 轮").format(status=status, round=case.round)
        self.status.setText(status)
        self.urgent.setText(_("紧急"))
        self.urgent.setVisible(case.urgency == Urgency.URGENT.value)
        self.confidential.setText(_("保密"))
        self.confidential.setVisible(bool(case.confidential))
        self.repeat.setText(_("重复诉求"))
        self.repeat.setVisible(snapshot.repeat_of is not None)
        text, style = deadline_text(snapshot)
        if case.extension_status == "requested":
            text += "\n" + _("延期申请待审批：申请延至 {date}").format(
                date=format_date(case.extension_until)
            )
        if snapshot.accepted_at is not None and case.status == Status.DISPATCHED.value:
            text += "\n" + _("{who} 已于 {at} 签收").format(
                who=snapshot.accepted_by, at=format_datetime(snapshot.accepted_at)
            )
        self.notices.setText(notice_text(snapshot.open_notices))
        self.notices.setVisible(bool(snapshot.open_notices))
        own = snapshot.own_part
        if own is not None:
            if own.open:
                message = _("本单位为会办单位：请于 {date} 前向主办单位 {lead} 答复会办意见")
                if own.overdue():
                    message = _(
                        "本单位为会办单位：会办意见已超期（期限 {date}），请尽快答复 {lead}"
                    )
            else:
                message = _("本单位为会办单位（主办单位 {lead}）：{state}")
            self.assist.setText(
                message.format(
                    date=format_date(own.deadline),
                    lead=snapshot.department,
                    state=part_text(own),
                )
            )
        self.assist.setVisible(own is not None)
        self.strip.setText(text)
        self.strip.setProperty("state", style)
        self.strip.setStyleSheet(
            f"QLabel {{ {STRIP_STYLES[style]} border-radius: 4px; padding: 8px 12px; }}"
        )
        font = self.strip.font()
        font.setBold(style in ("overdue", "soon"))
        self.strip.setFont(font)


class CaseFieldsPanel(QWidget):
    """Every field of the case in four groups; empty handling fields are hidden."""

    open_enterprise = Signal(int)
    open_article = Signal(int, int)  # a knowledge article the case used: id, version

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._enterprise_id: int | None = None
        self.values: dict[str, QLabel] = {}
        self.forms: dict[str, QFormLayout] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        groups = {
            _("企业"): [
                ("enterprise", _("企业名称")),
                ("uscc", _("信用代码")),
                ("district", _("所在区县")),
                ("steward", _("服务专员")),
            ],
            _("来电人"): [("contact_name", _("联系人")), ("contact_phone", _("联系电话"))],
            _("诉求"): [
                ("channel", _("来源渠道")),
                ("classification", _("类型 / 类别")),
                ("received_at", _("受理时间")),
                ("registered_by", _("登记人")),
                ("calls", _("来电")),
                ("description", _("诉求描述")),
                ("request", _("企业诉求")),
            ],
            _("办理"): [
                ("department", _("承办单位")),
                ("cohandling", _("会办单位")),
                ("dispatched_at", _("派单时间")),
                ("deadline", _("办理期限")),
                ("ceiling", _("法定时限")),
                ("extension", _("延期")),
                ("handled_at", _("答复时间")),
                ("reply", _("部门答复")),
                ("knowledge", _("所用知识")),
                ("callback_at", _("回访时间")),
                ("satisfaction", _("满意度")),
                ("callback_comment", _("回访意见")),
                ("closed_at", _("办结时间")),
            ],
        }
        for title, rows in groups.items():
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            for key, label in rows:
                value = QLabel(wordWrap=True, objectName=f"value_{key}")
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
                form.addRow(label, value)
                self.values[key] = value
                self.forms[key] = form
            layout.addWidget(box)
        layout.addStretch(1)
        # addRow(text, widget) made each label a QLabel.
        labels = [
            cast(QLabel, form.labelForField(self.values[key])) for key, form in self.forms.items()
        ]
        width = max(label.sizeHint().width() for label in labels)
        for field_label in labels:
            field_label.setMinimumWidth(width)
            field_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.values["enterprise"].linkActivated.connect(self._enterprise_link)
        self.values["knowledge"].linkActivated.connect(self._article_link)

    def _set(self, key: str, text: str, *, hide_empty: bool = False) -> None:
        self.values[key].setText(text)
        self.forms[key].setRowVisible(self.values[key], bool(text) or not hide_empty)

    def show_snapshot(self, snapshot: CaseWindowView) -> None:
        case, info = snapshot.case, snapshot.enterprise
        self._enterprise_id = info.id if info else None
        plain = Qt.TextFormat.PlainText
        for label in self.values.values():
            label.setTextFormat(plain)
        if info is not None:
            self.values["enterprise"].setTextFormat(Qt.TextFormat.RichText)
            self._set("enterprise", f'<a href="enterprise">{html.escape(info.name)}</a>')
        else:
            self._set("enterprise", "")
        self._set("uscc", info.uscc if info else "")
        self._set("district", snapshot.district)
        steward = ""
        if info is not None and info.steward_name:
            steward = f"{info.steward_name}　{info.steward_phone}".strip()
        self._set("steward", steward or _("（未指定）"))
        hidden = _("（保密，已隐藏）") if snapshot.masked else ""
        self._set("contact_name", f"{snapshot.contact_name} {hidden}".strip())
        self._set("contact_phone", snapshot.contact_phone)
        self._set("channel", _label_of(Channel, case.channel))
        self._set(
            "classification",
            _("{kind} / {category}").format(
                kind=_label_of(Kind, case.kind), category=_label_of(Category, case.category)
            ),
        )
        self._set("received_at", format_datetime(case.received_at))
        self._set("registered_by", case.registered_by_name)
        self._set("calls", calls_text(snapshot.calls), hide_empty=True)
        self._set("description", snapshot.texts["description"])
        self._set("request", snapshot.texts["request"], hide_empty=True)
        self._set("department", snapshot.department, hide_empty=True)
        self._set("cohandling", parts_text(snapshot.parts), hide_empty=True)
        self._set("dispatched_at", format_datetime(case.dispatched_at), hide_empty=True)
        self._set("deadline", format_date(case.deadline), hide_empty=True)
        self._set("ceiling", format_date(case.ceiling), hide_empty=True)
        self._set("extension", _extension_text(snapshot), hide_empty=True)
        self._set("handled_at", format_datetime(case.handled_at), hide_empty=True)
        self._set("reply", snapshot.texts["reply"], hide_empty=True)
        links = [
            f'<a href="kb:{use.article_id}:{use.version}">{html.escape(use.title)}</a>'
            + html.escape(
                _("（第 {version} 版{note}）").format(
                    version=use.version,
                    note=_("，现已停用") if use.current_status.value == "retired" else "",
                )
            )
            for use in snapshot.knowledge
        ]
        self.values["knowledge"].setTextFormat(Qt.TextFormat.RichText)
        self._set("knowledge", "<br>".join(links), hide_empty=True)
        self._set("callback_at", format_datetime(case.callback_at), hide_empty=True)
        self._set("satisfaction", _label_of(Satisfaction, case.satisfaction), hide_empty=True)
        self._set("callback_comment", snapshot.texts["callback_comment"], hide_empty=True)
        self._set("closed_at", format_datetime(case.closed_at), hide_empty=True)

    def _article_link(self, href: str) -> None:
        _kb, article_id, version = href.split(":")
        self.open_article.emit(int(article_id), int(version))

    def _enterprise_link(self, _href: str) -> None:
        if self._enterprise_id is not None:
            self.open_enterprise.emit(self._enterprise_id)


def calls_text(calls: Sequence[CaseCallView]) -> str:
    """One line per call kept with the case: its id, line and extension, when it came in, when
    the case (or the follow-up note) was saved."""
    lines = []
    for call in calls:
        parts = []
        if call.call_id:
            parts.append(_("通话编号 {id}").format(id=call.call_id))
        if call.line:
            parts.append(_("线路 {line}").format(line=call.line))
        if call.extension:
            parts.append(_("分机 {extension}").format(extension=call.extension))
        times = _("来电 {call}，保存 {saved}（用时 {took}）").format(
            call=format_datetime(call.call_at, "medium"),
            saved=format_datetime(call.saved_at, "medium"),
            took=format_duration(call.seconds_to_save),
        )
        purpose = _("登记") if call.purpose == "intake" else _("催办")
        lines.append(
            _("{purpose}：{details}").format(purpose=purpose, details=" · ".join([*parts, times]))
        )
    return "\n".join(lines)


def _extension_text(snapshot: CaseWindowView) -> str:
    case = snapshot.case
    until = format_date(case.extension_until)
    reason = snapshot.texts["extension_reason"]
    if case.extension_status == "requested":
        return _("申请延至 {date}，待审批：{reason}").format(date=until, reason=reason)
    if case.extension_status == "approved":
        return _("已批准延至 {date}：{reason}").format(date=until, reason=reason)
    if case.extension_status == "rejected":
        return _("延期申请已驳回（申请延至 {date}）").format(date=until)
    return ""
