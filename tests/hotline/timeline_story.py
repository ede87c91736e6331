"""A case that went through every step of the workflow, twice (for the timeline wording
tests of the core, the PDF and the case window); and the small cases for the other kinds."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from hotline import cases, clock, corrections, deadlines, timeline_words, workflow
from hotline.attachments import service as attachments
from hotline.enums import Role
from hotline.exemption import service
from hotline.models import Case, Department
from hotline.permissions import Actor
from hotline.transfer.replay import KNOWN_EVENTS
from tests.conftest import sample_case
from tests.hotline.desk import add_people, department_person
from tests.hotline.exemption.helpers import first_offense_facts

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)
LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
MONDAY = dt.datetime(2026, 11, 23, 9, 30)


def at(days: int, hours: int = 0) -> dt.datetime:
    return MONDAY + dt.timedelta(days=days, hours=hours)


@dataclass(frozen=True)
class Story:
    """The long case and what it decided, to look for in its timeline."""

    case: Case
    first: str  # the department of round 1 that returned the case
    second: str  # the department that answered in round 1
    third: str  # the department of round 2
    deadline: dt.date  # round 1's deadline before the extension
    extended_to: dt.date
    refused_until: dt.date  # round 2's refused extension
    round_two_deadline: dt.date


def _departments() -> list[Department]:
    return list(Department.select().where(Department.active).order_by(Department.id)[:3])


def long_case() -> Story:
    """Registered, dispatched, returned, dispatched again, extended, answered, called back
    (basically satisfied), reopened, dispatched, refused an extension, answered late and
    closed without a callback; an internal note and an exemption assessment on the way."""
    first, second, third = _departments()
    with clock.frozen(at(0)):
        case = cases.register(OPERATOR, sample_case(received_at=at(0).isoformat()))
    with clock.frozen(at(0, 1)):
        workflow.dispatch(OPERATOR, case.id, first.id, note="请核实")
    with clock.frozen(at(1)):
        workflow.return_case(OPERATOR, case.id, "不属于本单位职责")
    with clock.frozen(at(1, 1)):
        dispatched = workflow.dispatch(OPERATOR, case.id, second.id)
    deadline = dispatched.deadline
    limit = deadlines.extension_limit(deadlines.load_policy(), at(0).date())
    extended_to = min(deadline + dt.timedelta(days=7), limit)
    with clock.frozen(at(2)):
        workflow.request_extension(OPERATOR, case.id, extended_to, "需要现场核查")
    with clock.frozen(at(2, 2)):
        workflow.decide_extension(LEAD, case.id, True, "同意")
    with clock.frozen(at(2, 3)):
        workflow.add_note(OPERATOR, case.id, "已电话催办", internal=True)
        service.assess(
            OPERATOR,
            case.id,
            first_offense_facts(dt.date(2026, 9, 1), first_offense=True),
            save=True,
        )
    with clock.frozen(at(2, 4)):
        seen = cases.get(case.id).version
        corrections.correct(
            OPERATOR, case.id, {"subject": "更正后的标题"}, "来电人补充", expected_version=seen
        )
    with clock.frozen(at(3)):
        workflow.reply(OPERATOR, case.id, "已办理完毕")
    with clock.frozen(at(4)):
        workflow.callback(OPERATOR, case.id, "基本满意", "还算及时")
    with clock.frozen(at(5)):
        workflow.reopen(LEAD, case.id, "企业要求再查")
    with clock.frozen(at(5, 1)):
        again = workflow.dispatch(OPERATOR, case.id, third.id)
    round_two = again.deadline
    refused_until = min(round_two + dt.timedelta(days=3), limit)
    with clock.frozen(at(6)):
        workflow.request_extension(OPERATOR, case.id, refused_until, "材料未齐")
    with clock.frozen(at(6, 2)):
        workflow.decide_extension(LEAD, case.id, False, "理由不充分")
    late = dt.datetime.combine(round_two + dt.timedelta(days=2), dt.time(10))
    with clock.frozen(late):
        workflow.reply(OPERATOR, case.id, "已再次办理")
    with clock.frozen(late + dt.timedelta(days=1)):
        workflow.close(OPERATOR, case.id, "企业电话无人接听")
    return Story(
        case=Case.get_by_id(case.id),
        first=first.name,
        second=second.name,
        third=third.name,
        deadline=deadline,
        extended_to=extended_to,
        refused_until=refused_until,
        round_two_deadline=round_two,
    )


def short_cases() -> dict[str, Case]:
    """A repeat of a registered case, a consultation answered on the spot and a withdrawn
    case: the kinds the long case does not have."""
    with clock.frozen(at(0)):
        original = cases.register(
            OPERATOR, sample_case(category="policy", received_at=at(0).isoformat())
        )
        repeat = cases.register(
            OPERATOR, sample_case(category="policy", received_at=at(0).isoformat())
        )
        asked = cases.register(
            OPERATOR,
            sample_case(kind="consultation", category="other", received_at=at(0).isoformat()),
        )
        workflow.answer_on_spot(OPERATOR, asked.id, "已告知办理流程")
        workflow.dispatch(OPERATOR, original.id, _departments()[0].id)
        workflow.withdraw(OPERATOR, original.id, "企业撤回诉求")
        documented = cases.register(OPERATOR, sample_case(received_at=at(0).isoformat()))
        added = attachments.add(
            OPERATOR, documented.id, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "处罚决定书.pdf"
        )
        attachments.write_to(OPERATOR, added.id, io.BytesIO())
        attachments.remove(LEAD, added.id, "上传错了")
        # The department stage: accepted, supervised, the notice answered, the caller shown.
        first = _departments()[0]
        department = department_person("市监科员", first.id, 901)
        add_people(department)
        urged = cases.register(
            OPERATOR,
            sample_case(urgency="紧急", confidential=True, received_at=at(0).isoformat()),
        )
        workflow.dispatch(OPERATOR, urged.id, first.id)
        workflow.accept(department, urged.id)
        workflow.supervise(LEAD, urged.id, "请今日答复企业", 2, "supervision")
        workflow.answer_supervision(department, urged.id, "已约企业现场核实")
        workflow.grant_caller(LEAD, urged.id, "需当面联系来电人")
        # Co-handling: two assisting departments, one answers its part, the lead replies.
        second, third = _departments()[1:3]
        shared = cases.register(OPERATOR, sample_case(received_at=at(0).isoformat()))
        workflow.dispatch(
            OPERATOR, shared.id, first.id, assisting=[second.id, third.id], assist_workdays=2
        )
        helper = department_person("会办科员", second.id, 902)
        add_people(helper)
        workflow.answer_assist(helper, shared.id, "本单位同意企业申请")
        workflow.accept(department, shared.id)
        workflow.reply(
            department, shared.id, "综合各单位意见答复", resolution="resolved", contact_made=True
        )
    return {
        "shared": shared,
        "original": original,
        "repeat": repeat,
        "asked": asked,
        "documented": documented,
        "urged": urged,
    }


# Kinds that only an import or another program writes, not this workflow.
NOT_WRITTEN_HERE = {"import"}


def every_kind() -> set[str]:
    return set(KNOWN_EVENTS) | set(timeline_words.WORDINGS)
