"""What each timeline step decided, in words: the one place that words a case's events.

The case window (through :mod:`hotline.case_view`) and the case summary PDF (through
:mod:`hotline.reports.case_data`) both show :func:`word_timeline`'s result, so screen and
paper never disagree. Every kind of event has one entry in ``WORDINGS``: the facts it names
(department, deadline, rating, dates, decision…) and the caption that introduces its free
text (退回理由：…). Adding a kind is adding one entry.

The labels of the kinds (the 事项 column) are ``hotline.timeline.EVENT_LABELS``.

The facts come from the event's recorded data. Events written before a fact was recorded
(e.g. the department of a reply, the deadline before an extension) get it from the steps
before them in the same timeline (:class:`Context`), which is what the case was at that
moment; a fact found in neither is left out, never guessed.

Departments are named as they were named when the step was taken: the name recorded with the
event. When the department has been renamed since (its id is recorded and its current name
differs) the current name follows in brackets, 旧名（现名 新名）; an event that recorded only
the id shows the current name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from hotline import corrections
from hotline.attachments import content_types
from hotline.attachments.sizes import file_size
from hotline.enums import (
    Category,
    Channel,
    Kind,
    LabelledEnum,
    Resolution,
    Satisfaction,
    Status,
    SupervisionLevel,
    Urgency,
)
from hotline.exemption.outcome import Outcome
from hotline.i18n import N_, _
from hotline.models import CaseEvent, Department, tuples
from hotline.permissions import shown_name
from hotline.timeline import event_data, label


@dataclass(frozen=True)
class Step:
    """One timeline event as recorded: plain values, no database row."""

    at: dt.datetime
    actor: str
    action: str
    internal: bool = False
    text: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Worded:
    """A step in words: its label, the facts it decided, and its free text with a caption."""

    label: str
    facts: str
    detail: str

    @property
    def content(self) -> str:
        """Facts, then the free text, one per line: what the 内容 column shows."""
        return "\n".join(part for part in (self.facts, self.detail) if part)


@dataclass
class Context:
    """What the earlier steps of the same timeline established, read and advanced by each
    wording (a dispatch sets the department and deadline a later reply is measured by)."""

    departments: Mapping[int, str] = field(default_factory=dict)  # current names by id
    round: int = 1
    department: str = ""  # as worded (recorded name, current name if renamed)
    deadline: str = ""  # ISO date
    returned: bool = False
    extension_requested_by: str = ""
    satisfaction: str = ""  # code, of the current round's callback


Facts = list[str]


@dataclass(frozen=True)
class Wording:
    """How one kind of event is worded."""

    facts: Callable[[Step, Context], Facts]
    caption: str = ""  # N_() message with {text}; empty: the text as it is
    label: Callable[[Step], str] | None = None  # when the label depends on the decision
    # Whether the stored text is shown when the data can word the step (an exemption's
    # text is a summary written in the language of whoever saved it).
    text_when_facts: bool = True
    one_per_line: bool = False  # facts on lines of their own (a correction's fields)


def _no_facts(step: Step, context: Context) -> Facts:
    return []


def _iso(value: Any) -> str:
    """A recorded date (ISO text, a date, a datetime) as ``2026-12-03``; '' when none."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    if not text or text == "None":
        return ""
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return text


def _enum(enum: type[LabelledEnum], code: Any) -> str:
    if not code:
        return ""
    member = enum.parse(code)
    return member.label if member is not None else str(code)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def department_name(data: Mapping[str, Any], context: Context) -> str:
    """The department an event names, as it was named then (see the module's note)."""
    recorded = str(data.get("department") or "").strip()
    department_id = _int(data.get("department_id"))
    current = context.departments.get(department_id) if department_id is not None else None
    if not recorded:
        return current or ""
    if current and current != recorded:
        return _("{name}（现名 {current}）").format(name=recorded, current=current)
    return recorded


def _register(step: Step, context: Context) -> Facts:
    data = step.data
    classes = [
        _enum(Channel, data.get("channel")),
        _enum(Kind, data.get("kind")),
        _enum(Category, data.get("category")),
        _enum(Urgency, data.get("urgency")),
    ]
    facts = []
    if any(classes):
        facts.append(_(" · ").join(part for part in classes if part))
    district = str(data.get("district_name") or "")
    if district:
        facts.append(_("所属区域：{district}").format(district=district))
    return facts


def _repeat(step: Step, context: Context) -> Facts:
    case_no = step.data.get("repeat_of")
    return [_("与案件 {case_no} 重复").format(case_no=case_no)] if case_no else []


def _answer_on_spot(step: Step, context: Context) -> Facts:
    """The knowledge article (and its version) the answer came from, when one did."""
    data = step.data
    if data.get("article_id") is None:
        return []
    return [
        _("答复所用知识：{title}（编号 {id}，第 {version} 版）").format(
            title=data.get("article_title", ""),
            id=data.get("article_id"),
            version=data.get("article_version", "?"),
        )
    ]


def _dispatch(step: Step, context: Context) -> Facts:
    data = step.data
    department = department_name(data, context)
    deadline = _iso(data.get("deadline"))
    round_no = _int(data.get("round")) or context.round
    facts = []
    if department:
        if context.returned:
            message = _("退回后改派至 {department}")
        elif round_no > 1:
            message = _("第 {round} 轮派单至 {department}")
        else:
            message = _("派单至 {department}")
        facts.append(message.format(department=department, round=round_no))
    if deadline:
        facts.append(_("办理期限 {date}").format(date=deadline))
    ceiling = _iso(data.get("ceiling"))
    if ceiling:
        facts.append(_("法定最长期限 {date}").format(date=ceiling))
    return_until = _iso(data.get("return_until"))
    if return_until:
        facts.append(_("{date} 前可退回").format(date=return_until))
    parts = data.get("assisting")
    if isinstance(parts, list) and parts:
        names = _("、").join(department_name(p, context) for p in parts if isinstance(p, dict))
        part_due = _iso(parts[0].get("deadline")) if isinstance(parts[0], dict) else ""
        facts.append(
            _("会办单位 {departments}（{date} 前向主办单位答复）").format(
                departments=names, date=part_due
            )
        )
    context.department, context.deadline, context.returned = department, deadline, False
    context.round = round_no
    return facts


def _return(step: Step, context: Context) -> Facts:
    department = department_name(step.data, context) or context.department
    deadline = _iso(step.data.get("deadline")) or context.deadline
    facts = []
    if department:
        facts.append(_("由 {department} 退回").format(department=department))
    if deadline:
        facts.append(_("原办理期限 {date}").format(date=deadline))
    context.department, context.deadline, context.returned = "", "", True
    return facts


def _extension_dates(before: str, until: str, *, asked: bool) -> str:
    if before and until:
        message = _("申请将办理期限由 {before} 延至 {until}") if asked else None
        message = message or _("办理期限由 {before} 延至 {until}")
        return message.format(before=before, until=until)
    if until:
        return (_("申请延期至 {until}") if asked else _("办理期限延至 {until}")).format(until=until)
    return ""


def _request_extension(step: Step, context: Context) -> Facts:
    before = _iso(step.data.get("deadline")) or context.deadline
    until = _iso(step.data.get("until"))
    context.extension_requested_by = step.actor
    dates = _extension_dates(before, until, asked=True)
    return [dates] if dates else []


def _approved(step: Step) -> bool:
    return bool(step.data.get("approved"))


def _decide_extension_label(step: Step) -> str:
    return label("approve_extension" if _approved(step) else "reject_extension")


def _decide_extension(step: Step, context: Context) -> Facts:
    before = _iso(step.data.get("deadline")) or context.deadline
    until = _iso(step.data.get("until"))
    facts = []
    if _approved(step):
        dates = _extension_dates(before, until, asked=False)
        if dates:
            facts.append(dates)
        context.deadline = until or context.deadline
    else:
        if until:
            facts.append(_("不同意延至 {until}").format(until=until))
        if before:
            facts.append(_("办理期限仍为 {date}").format(date=before))
    requester = str(step.data.get("requested_by") or "") or context.extension_requested_by
    if requester:
        facts.append(_("申请人 {name}").format(name=requester))
    context.extension_requested_by = ""
    return facts


def _reply(step: Step, context: Context) -> Facts:
    department = department_name(step.data, context) or context.department
    deadline = _iso(step.data.get("deadline")) or context.deadline
    facts = []
    if department:
        facts.append(_("答复单位 {department}").format(department=department))
    if deadline:
        try:
            on_time: bool | None = step.at.date() <= dt.date.fromisoformat(deadline)
        except ValueError:  # a deadline an import recorded as free text
            on_time = None
        if on_time is None:
            message = _("办理期限 {date}")
        elif on_time:
            message = _("办理期限 {date}，按期答复")
        else:
            message = _("办理期限 {date}，超期答复")
        facts.append(message.format(date=deadline))
    resolution = step.data.get("resolution")
    if resolution:
        facts.append(_("办理结果：{result}").format(result=_enum(Resolution, resolution)))
    contact = step.data.get("contact_made")
    if contact is not None:
        facts.append(_("已与企业联系") if contact else _("未与企业联系"))
    answered = _int(step.data.get("notices_answered"))
    if answered:
        facts.append(_("同时答复督办 {count} 件").format(count=answered))
    if "parts_answered" in step.data:
        facts.append(
            _("收到会办意见 {count} 份").format(count=_int(step.data.get("parts_answered")))
        )
    missing = step.data.get("parts_unanswered")
    if isinstance(missing, list) and missing:
        names = _("、").join(str(name) for name in missing)
        facts.append(_("未答复的会办单位：{departments}").format(departments=names))
    return facts


def _answer_assist(step: Step, context: Context) -> Facts:
    department = department_name(step.data, context)
    deadline = _iso(step.data.get("deadline"))
    facts = []
    if department:
        facts.append(_("{department} 向主办单位答复会办意见").format(department=department))
    if deadline:
        on_time = step.data.get("on_time")
        if on_time is None:
            message = _("会办期限 {date}")
        elif on_time:
            message = _("会办期限 {date}，按期答复")
        else:
            message = _("会办期限 {date}，超期答复")
        facts.append(message.format(date=deadline))
    return facts


def _accept(step: Step, context: Context) -> Facts:
    department = department_name(step.data, context) or context.department
    facts = []
    if department:
        facts.append(_("{department} 签收").format(department=department))
    deadline = _iso(step.data.get("deadline")) or context.deadline
    if deadline:
        facts.append(_("办理期限 {date}").format(date=deadline))
    return facts


def _supervise_label(step: Step) -> str:
    level = step.data.get("level")
    return _enum(SupervisionLevel, level) if level else label("supervise")


def _supervise(step: Step, context: Context) -> Facts:
    facts = []
    department = department_name(step.data, context) or context.department
    if department:
        facts.append(_("督办对象 {department}").format(department=department))
    answer_by = _iso(step.data.get("answer_by"))
    if answer_by:
        facts.append(_("限 {date} 前答复").format(date=answer_by))
    return facts


def _answer_supervision(step: Step, context: Context) -> Facts:
    count = _int(step.data.get("notices_answered"))
    return [_("答复督办 {count} 件").format(count=count)] if count else []


def _grant_caller(step: Step, context: Context) -> Facts:
    department = department_name(step.data, context) or context.department
    if department:
        return [_("向 {department} 开放保密来电人信息").format(department=department)]
    return [_("向承办单位开放保密来电人信息")]


def _callback(step: Step, context: Context) -> Facts:
    code = str(step.data.get("satisfaction") or "")
    context.satisfaction = code
    return [_("满意度：{rating}").format(rating=_enum(Satisfaction, code))] if code else []


def _close(step: Step, context: Context) -> Facts:
    data = step.data
    if "called_back" in data:
        called_back = bool(data.get("called_back"))
        code = str(data.get("satisfaction") or "")
    else:
        code = context.satisfaction
        called_back = bool(code)
    if called_back and code:
        return [_("回访后办结，满意度：{rating}").format(rating=_enum(Satisfaction, code))]
    if called_back:
        return [_("回访后办结")]
    return [_("未经回访办结")]


def _reopen(step: Step, context: Context) -> Facts:
    data = step.data
    round_no = _int(data.get("round")) or context.round + 1
    facts = [_("进入第 {round} 轮办理").format(round=round_no)]
    department = department_name(data, context) or context.department
    if department:
        facts.append(_("上一轮承办单位 {department}").format(department=department))
    code = str(data.get("satisfaction") or "") or context.satisfaction
    if code:
        facts.append(_("上一轮满意度：{rating}").format(rating=_enum(Satisfaction, code)))
    context.round, context.department, context.deadline = round_no, "", ""
    context.satisfaction, context.returned = "", False
    return facts


def _withdraw(step: Step, context: Context) -> Facts:
    status = step.data.get("status")
    return [_("撤销前状态：{status}").format(status=_enum(Status, status))] if status else []


def _exemption(step: Step, context: Context) -> Facts:
    data = step.data
    facts = []
    outcome = Outcome(data["outcome"]) if data.get("outcome") in set(Outcome) else None
    if outcome is not None:
        facts.append(outcome.label)  # 应当 or 可以 不予处罚: the label says which
    code, name = data.get("item"), data.get("item_name")
    version = data.get("catalogue_version")
    if code:
        item = f"{code} {name}" if name else str(code)
        if version:
            facts.append(_("清单 {version} 版 {item}").format(version=version, item=item))
        else:
            facts.append(_("清单事项 {item}").format(item=item))
    elif outcome is not None:
        facts.append(_("未选择清单事项"))
    if data.get("override"):
        facts.append(_("人工认定初次违法：{reason}").format(reason=data["override"]))
    elif data.get("first_offense_source"):
        facts.append(_("初次违法的认定依据：{source}").format(source=data["first_offense_source"]))
    return facts


def _correct(step: Step, context: Context) -> Facts:
    data = dict(step.data)
    moved = data.get("deadline")
    if isinstance(moved, dict) and moved.get("choice") == corrections.DeadlineChoice.RECOMPUTE:
        context.deadline = _iso(moved.get("after")) or context.deadline
    return corrections.describe(data)


def _attachment(step: Step, context: Context) -> Facts:
    """The document an attachment step is about: name, type, size, short hash."""
    data = step.data
    name = str(data.get("name") or "")
    if not name:
        return []
    facts = [name]
    kind = str(data.get("content_type") or "")
    if kind:
        facts.append(content_types.label(kind))
    size = _int(data.get("size"))
    if size is not None:
        facts.append(file_size(size))
    digest = str(data.get("sha256") or "")
    if digest:
        facts.append(_("SHA-256 {hash}").format(hash=digest[:12]))
    return facts


VIEW_HOW = {
    "open": N_("打开查看"),
    "preview": N_("预览"),
    "save": N_("另存到文件"),
}


def _attachment_view(step: Step, context: Context) -> Facts:
    facts = _attachment(step, context)
    how = VIEW_HOW.get(str(step.data.get("how") or ""))
    return [_(how), *facts] if how and facts else facts


PLAIN = Wording(_no_facts)

# One entry per kind of event.
WORDINGS: dict[str, Wording] = {
    "register": Wording(_register),
    "repeat": Wording(_repeat),
    "answer_on_spot": Wording(_answer_on_spot, N_("答复内容：{text}")),
    "dispatch": Wording(_dispatch, N_("派单说明：{text}")),
    "return": Wording(_return, N_("退回理由：{text}")),
    "request_extension": Wording(_request_extension, N_("申请理由：{text}")),
    "decide_extension": Wording(
        _decide_extension, N_("审批意见：{text}"), label=_decide_extension_label
    ),
    "reply": Wording(_reply, N_("答复内容：{text}")),
    "callback": Wording(_callback, N_("回访意见：{text}")),
    "close": Wording(_close, N_("办结说明：{text}")),
    "reopen": Wording(_reopen, N_("重办理由：{text}")),
    "withdraw": Wording(_withdraw, N_("撤销理由：{text}")),
    "note": PLAIN,
    "exemption": Wording(_exemption, text_when_facts=False),
    "import": PLAIN,
    "correct": Wording(_correct, N_("更正原因：{text}"), one_per_line=True),
    "attach": Wording(_attachment),
    "attachment_view": Wording(_attachment_view),
    "attachment_remove": Wording(_attachment, N_("删除理由：{text}")),
    "accept": Wording(_accept),
    "supervise": Wording(_supervise, N_("督办内容：{text}"), label=_supervise_label),
    "answer_supervision": Wording(_answer_supervision, N_("答复内容：{text}")),
    "grant_caller": Wording(_grant_caller, N_("理由：{text}")),
    "answer_assist": Wording(_answer_assist, N_("会办意见：{text}")),
}


def word(step: Step, context: Context) -> Worded:
    """``step`` in words, after the steps that advanced ``context``."""
    wording = WORDINGS.get(step.action, PLAIN)
    facts = wording.facts(step, context)
    text = (step.text or "").strip()
    if facts and not wording.text_when_facts:
        text = ""
    detail = _(wording.caption).format(text=text) if text and wording.caption else text
    shown = wording.label(step) if wording.label is not None else label(step.action)
    separator = "\n" if wording.one_per_line else _("；")
    return Worded(label=shown, facts=separator.join(facts), detail=detail)


def word_timeline(
    steps: Iterable[Step], departments: Mapping[int, str] | None = None
) -> list[Worded]:
    """Every step of one case's timeline (oldest first) in words; ``departments`` are the
    current department names by id (for renamed departments)."""
    context = Context(departments=departments or {})
    return [word(step, context) for step in steps]


def step_of(event: CaseEvent) -> Step:
    """A stored event as a :class:`Step` (the actor's name as shown)."""
    return Step(
        at=event.at,
        actor=shown_name(event.actor_name),
        action=event.action,
        internal=bool(event.internal),
        text=event.text or "",
        data=event_data(event),
    )


def masked_steps(steps: Iterable[Step], name: str | None, phone: str | None) -> list[Step]:
    """``steps`` as a role that may not see a confidential caller reads them: a correction's
    earlier and later name and phone masked (the other steps are scrubbed by the caller)."""
    return [
        replace(step, data=corrections.mask_event_data(dict(step.data), name, phone))
        if step.action == "correct"
        else step
        for step in steps
    ]


def department_names() -> dict[int, str]:
    """The current name of every department, by id (a small table, read once per use)."""
    return {
        int(i): str(name) for i, name in tuples(Department.select(Department.id, Department.name))
    }
