"""The sections of a case summary as flowables: tables of label/value pairs, the free texts,
the timeline, the answer, the callback and the exemption assessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hotline.attachments.sizes import file_size
from hotline.deadlines import DeadlineState, deadline_state
from hotline.i18n import _, format_date
from hotline.masking import mask_name, mask_phone
from hotline.reports.data import CaseSummary, ReportAttachment, TimelineEntry
from hotline.reports.pages import QrFlowable
from hotline.reports.styles import (
    ACCENT,
    BAD,
    CONTENT_WIDTH,
    DASH,
    GOOD,
    INTERNAL_FILL,
    RULE,
    ZEBRA_FILL,
    Styles,
    grid_style,
    hex_colour,
    section,
    stamp,
    text,
)

QR_SIZE = 19 * mm
SECTION_ROOM = 24 * mm  # a heading and two lines of text
TIMELINE_ROOM = 38 * mm  # the heading, the header row and the first steps


def header_block(summary: CaseSummary, styles: Styles) -> Flowable:
    number = Paragraph(
        f'<font size="15" color="{hex_colour(ACCENT)}">{text(summary.case_no)}</font>',
        styles.cell_head,
    )
    qr_size = QR_SIZE * 0.8
    return Table(
        [[number, QrFlowable(summary.case_no, qr_size)]],
        colWidths=[CONTENT_WIDTH - qr_size, qr_size],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )


def pairs_table(pairs: list[tuple[str, str]], styles: Styles, columns: int = 2) -> Table:
    """Label/value pairs, ``columns`` pairs per row. Values are Paragraph markup (escape
    plain text with :func:`text`) and wrap inside their cells."""
    label_width = 29 * mm
    value_width = CONTENT_WIDTH / columns - label_width
    rows: list[list[Flowable | str]] = []
    for start in range(0, len(pairs), columns):
        row: list[Flowable | str] = []
        for label, value in pairs[start : start + columns]:
            row += [Paragraph(text(label), styles.label), Paragraph(value or DASH, styles.cell)]
        row += [""] * (2 * columns - len(row))
        rows.append(row)
    commands = grid_style(header_rows=0)
    commands += [
        ("BACKGROUND", (col, 0), (col, -1), ZEBRA_FILL) for col in range(0, 2 * columns, 2)
    ]
    return Table(
        rows,
        colWidths=[label_width, value_width] * columns,
        style=TableStyle(commands),
        splitInRow=1,
    )


def when(value: dt.datetime | None) -> str:
    return text(stamp(value)) if value else ""


def classification(summary: CaseSummary, styles: Styles) -> list[Flowable]:
    pairs = [
        (_("受理渠道"), text(summary.channel)),
        (_("诉求类型"), text(summary.kind)),
        (_("问题类别"), text(summary.category)),
        (_("紧急程度"), text(summary.urgency)),
        (_("所属区域"), text(summary.district)),
        (_("受理时间"), when(summary.received_at)),
        (_("登记人"), text(summary.registered_by)),
        (_("案件状态"), text(summary.status)),
    ]
    return [section(_("诉求分类"), styles), pairs_table(pairs, styles)]


def enterprise(summary: CaseSummary, styles: Styles) -> list[Flowable]:
    info = summary.enterprise
    if info is None:
        return [section(_("企业信息"), styles), Paragraph(text(_("未关联企业")), styles.body)]
    steward = " ".join(part for part in (info.steward_name, info.steward_phone) if part)
    pairs = [
        (_("企业名称"), text(info.name)),
        (_("统一社会信用代码"), text(info.uscc)),
        (_("所属区域"), text(info.district)),
        (_("所属行业"), text(info.industry)),
        (_("服务专员"), text(steward)),
    ]
    return [section(_("企业信息"), styles), pairs_table(pairs, styles)]


def contact(summary: CaseSummary, styles: Styles) -> list[Flowable]:
    person = summary.contact
    if person.confidential:
        name, phone = mask_name(person.name), mask_phone(person.phone)
        secrecy = _("企业要求保密，联系人信息已隐去")
        secrecy = f'<font color="{hex_colour(BAD)}">{text(secrecy)}</font>'
    else:
        name, phone, secrecy = person.name, person.phone, text(_("否"))
    pairs = [
        (_("联系人"), text(name)),
        (_("联系电话"), text(phone)),
        (_("保密"), secrecy),
    ]
    return [section(_("联系人"), styles), pairs_table(pairs, styles)]


def deadline_label(state: DeadlineState | None) -> str:
    """The verdict on the deadline; None for an answer on the spot (or without a deadline)."""
    if state is None:
        return _("当场答复，视为按期")
    if state is DeadlineState.NONE:
        return _("未派单，无办理期限")
    if state is DeadlineState.MET:
        return _("按期答复")
    if state is DeadlineState.MISSED:
        return _("超期答复")
    if state is DeadlineState.OVERDUE:
        return _("已超期，尚未答复")
    return _("办理中，未到期")


def _deadline_verdict(summary: CaseSummary, as_of: dt.date) -> DeadlineState | None:
    """The state of the case's deadline; None when it was answered on the spot. The summary
    has no status code: an unanswered case counts as waiting (a withdrawn one too)."""
    on_the_spot = summary.dispatched_at is None and not summary.department
    answered = summary.handled_at
    if answered is not None and (on_the_spot or summary.deadline is None):
        return None
    return deadline_state(summary.deadline, as_of, waiting=answered is None, answered_at=answered)


def handling(summary: CaseSummary, styles: Styles, as_of: dt.date) -> list[Flowable]:
    state = _deadline_verdict(summary, as_of)
    colours: dict[DeadlineState | None, Color] = {
        DeadlineState.MISSED: BAD,
        DeadlineState.OVERDUE: BAD,
        DeadlineState.MET: GOOD,
    }
    colour = colours.get(state, ACCENT)
    verdict = f'<font color="{hex_colour(colour)}">{text(deadline_label(state))}</font>'
    deadline = stamp(summary.deadline) if summary.deadline else ""
    if summary.extended and deadline:
        deadline += _("（已延期）")
    pairs = [
        (_("承办单位"), text(summary.department)),
        (_("派单时间"), when(summary.dispatched_at)),
        (_("办理期限"), text(deadline)),
        (_("法定最长期限"), text(stamp(summary.ceiling) if summary.ceiling else "")),
        (_("答复时间"), when(summary.handled_at)),
        (_("是否按期"), verdict),
        (_("办结时间"), when(summary.closed_at)),
    ]
    return [section(_("办理时限"), styles), pairs_table(pairs, styles)]


def flowing_section(title: str, styles: Styles, room: float) -> list[Flowable]:
    """The heading of a section that may flow across pages: it starts on a new page only when
    less than ``room`` is left (the heading and its first lines), never because the whole
    section does not fit, so no page is left half empty before a long section."""
    heading = ParagraphStyle(f"{styles.section.name}-flowing", parent=styles.section)
    heading.keepWithNext = 0
    return [CondPageBreak(room), Paragraph(text(title), heading)]


def long_text(title: str, value: str, styles: Styles) -> list[Flowable]:
    """A free text of any length: one paragraph per line, so it flows across pages."""
    story = flowing_section(title, styles, SECTION_ROOM)
    lines = [line for line in value.splitlines() if line.strip()]
    if not lines:
        return [*story, Paragraph(DASH, styles.body)]
    story += [Paragraph(text(line.strip()), styles.prose) for line in lines]
    return story


def timeline(
    summary: CaseSummary, styles: Styles, include_internal: bool, clean: Callable[[str], str]
) -> list[Flowable]:
    entries = [e for e in summary.timeline if include_internal or not e.internal]
    # The heading, the header row and a first step or two; the rest flows on, the header
    # row repeated on every page.
    story = flowing_section(_("办理过程"), styles, TIMELINE_ROOM)
    if not entries:
        return [*story, Paragraph(text(_("暂无记录")), styles.body)]
    header: list[Flowable] = [
        Paragraph(text(h), styles.cell_head) for h in (_("时间"), _("经办人"), _("事项"), _("内容"))
    ]
    rows: list[list[Flowable]] = [header]
    commands = grid_style()
    internal_mark = _("【内部】")
    for index, entry in enumerate(entries, start=1):
        action = text(entry.action)
        if entry.internal:
            action = f'<font color="{hex_colour(BAD)}">{text(internal_mark)}</font>{action}'
            commands.append(("BACKGROUND", (0, index), (-1, index), INTERNAL_FILL))
        rows.append(
            [
                Paragraph(text(stamp(entry.at)), styles.cell_small),
                Paragraph(text(entry.actor), styles.cell),
                Paragraph(action, styles.cell),
                Paragraph(_content(entry, clean) or DASH, styles.cell),
            ]
        )
    widths = [27 * mm, 22 * mm, 34 * mm]  # "Extension approved" on one line
    widths.append(CONTENT_WIDTH - sum(widths))
    story.append(
        Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(commands), splitInRow=1)
    )
    if not include_internal:
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(text(_("本副本不含内部记录。")), styles.note))
    return story


def _content(entry: TimelineEntry, clean: Callable[[str], str]) -> str:
    """What the step decided, then its free text (as the case window shows them)."""
    facts, detail = text(clean(entry.facts)), text(clean(entry.text))
    return "<br/>".join(part for part in (facts, detail) if part)


def reply(summary: CaseSummary, styles: Styles, clean: Callable[[str], str]) -> list[Flowable]:
    story: list[Flowable] = [section(_("承办单位答复"), styles)]
    if not summary.reply:
        return [*story, Paragraph(text(_("尚未答复")), styles.body)]
    story.append(
        pairs_table(
            [(_("答复单位"), text(summary.department)), (_("答复时间"), when(summary.handled_at))],
            styles,
        )
    )
    story.append(Spacer(1, 2 * mm))
    story += [
        Paragraph(text(line.strip()), styles.prose)
        for line in clean(summary.reply).splitlines()
        if line.strip()
    ]
    return story


def callback(summary: CaseSummary, styles: Styles, clean: Callable[[str], str]) -> list[Flowable]:
    story: list[Flowable] = [section(_("回访与满意度"), styles)]
    if summary.callback_at is None:
        return [*story, Paragraph(text(_("尚未回访")), styles.body)]
    pairs = [
        (_("回访时间"), when(summary.callback_at)),
        (_("满意度"), text(summary.satisfaction)),
    ]
    story.append(pairs_table(pairs, styles))
    if summary.callback_comment:
        story.append(Spacer(1, 2 * mm))
        story.append(
            Paragraph(
                text(_("回访意见：{comment}").format(comment=clean(summary.callback_comment))),
                styles.body,
            )
        )
    return story


def exemption(summary: CaseSummary, styles: Styles) -> list[Flowable]:
    assessment = summary.exemption
    assert assessment is not None
    if assessment.mandatory is None:
        nature = ""
    elif assessment.mandatory:
        nature = _("应当不予处罚（羁束）")
    else:
        nature = _("可以不予处罚（裁量）")
    who = " ".join(part for part in (stamp(assessment.assessed_at), assessment.assessed_by) if part)
    pairs = [
        (_("评估结论"), f"<b>{text(assessment.outcome)}</b>"),
        (_("处理性质"), text(nature)),
        (_("清单事项"), text(assessment.item)),
        (_("清单版本"), text(assessment.catalogue)),
        (_("评估"), text(who)),
    ]
    # The heading stays with the conclusion; the reasons flow on (header row repeated), so
    # no page is left part empty before a long assessment.
    story: list[Flowable] = [
        CondPageBreak(SECTION_ROOM),
        KeepTogether([section(_("首错免罚评估"), styles), pairs_table(pairs, styles)]),
    ]
    if assessment.reasons:
        rows: list[list[Flowable]] = [
            [Paragraph(text(h), styles.cell_head) for h in ("#", _("理由"), _("依据"))]
        ]
        for number, (reason, basis) in enumerate(assessment.reasons, start=1):
            rows.append(
                [
                    Paragraph(str(number), styles.cell),
                    Paragraph(text(reason), styles.cell),
                    Paragraph(text(basis) or DASH, styles.cell),
                ]
            )
        widths = [9 * mm, 100 * mm]
        widths.append(CONTENT_WIDTH - sum(widths))
        story.append(Spacer(1, 3 * mm))
        story.append(
            Table(
                rows, colWidths=widths, repeatRows=1, style=TableStyle(grid_style()), splitInRow=1
            )
        )
    return story


SHORT_HASH = 12


def attachments(
    summary: CaseSummary, styles: Styles, clean: Callable[[str], str]
) -> list[Flowable]:
    """The documents on the case: name, size, who added it and when, the start of its
    SHA-256 (enough to match a copy); a removed one says who removed it, when and why."""
    story = flowing_section(_("附件"), styles, TIMELINE_ROOM)
    header: list[Flowable] = [
        Paragraph(text(h), styles.cell_head)
        for h in ("#", _("文件名"), _("大小"), _("添加人"), _("添加时间"), _("SHA-256（前 12 位）"))
    ]
    rows: list[list[Flowable]] = [header]
    commands = grid_style()
    for number, document in enumerate(summary.attachments, start=1):
        rows.append(
            [
                Paragraph(str(number), styles.cell),
                Paragraph(_document_name(document, clean), styles.cell),
                Paragraph(text(file_size(document.size)), styles.cell_small),
                Paragraph(text(document.added_by), styles.cell),
                Paragraph(text(stamp(document.added_at)), styles.cell_small),
                Paragraph(text(document.sha256[:SHORT_HASH]), styles.cell_small),
            ]
        )
        if document.removed_at is not None:
            commands.append(("BACKGROUND", (0, number), (-1, number), INTERNAL_FILL))
    widths = [8 * mm, 0.0, 17 * mm, 22 * mm, 27 * mm, 25 * mm]
    widths[1] = CONTENT_WIDTH - sum(widths)
    story.append(
        Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(commands), splitInRow=1)
    )
    return story


def _document_name(document: ReportAttachment, clean: Callable[[str], str]) -> str:
    name = text(clean(document.name))
    if document.removed_at is None:
        return name
    removed = _("已删除：{who} {when}，理由：{reason}").format(
        who=document.removed_by,
        when=stamp(document.removed_at),
        reason=clean(document.removed_reason),
    )
    return f'<strike>{name}</strike><br/><font color="{hex_colour(BAD)}">{text(removed)}</font>'


def supervision(
    summary: CaseSummary, styles: Styles, clean: Callable[[str], str]
) -> list[Flowable]:
    """The supervision notices (督办) on the case: issued when, by whom, answer by, and how
    and when they were answered."""
    if not summary.supervision:
        return []
    story: list[Flowable] = [section(_("督办"), styles)]
    for notice in summary.supervision:
        if notice.answered_at is None:
            state = _("未答复")
        elif notice.answered_at.date() <= notice.answer_by:
            state = _("{at} 答复（按时）").format(at=when(notice.answered_at))
        else:
            state = _("{at} 答复（超时）").format(at=when(notice.answered_at))
        head = _("{level}　{at} {who} 发出，限 {date} 前答复；{state}").format(
            level=notice.level,
            at=when(notice.issued_at),
            who=notice.issued_by,
            date=format_date(notice.answer_by),
            state=state,
        )
        story.append(Paragraph(text(head), styles.body))
        story.append(
            Paragraph(text(_("督办内容：{text}").format(text=clean(notice.text))), styles.prose)
        )
        if notice.answer:
            story.append(
                Paragraph(text(_("答复：{text}").format(text=clean(notice.answer))), styles.prose)
            )
    return story


def cohandling(summary: CaseSummary, styles: Styles, clean: Callable[[str], str]) -> list[Flowable]:
    """The assisting departments (会办) and their parts: due when, answered when and by
    whom (on time or late), and what they answered the lead department."""
    if not summary.cohandling:
        return []
    story: list[Flowable] = [section(_("会办"), styles)]
    for part in summary.cohandling:
        if part.answered_at is not None:
            state = (
                _("{at} {who} 答复（按时）") if part.on_time else _("{at} {who} 答复（超时）")
            ).format(at=when(part.answered_at), who=part.answered_by)
        else:
            state = part.state
        head = _("{department}　限 {date} 前向主办单位答复；{state}").format(
            department=part.department, date=format_date(part.deadline), state=state
        )
        story.append(Paragraph(text(head), styles.body))
        if part.answer:
            story.append(
                Paragraph(text(_("会办意见：{text}").format(text=clean(part.answer))), styles.prose)
            )
    return story
