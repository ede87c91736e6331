"""Intake validation: every problem at once, with its field; identifiers checked properly."""

from __future__ import annotations

import pytest

from hotline import cases, validation
from hotline.enums import Category, Channel, Kind
from hotline.errors import ValidationError
from hotline.intake import parse_intake
from hotline.models import Case, Enterprise
from tests.conftest import sample_case


@pytest.mark.parametrize(
    "code",
    ["91410600MA44XKQ35C", "91110000600037341L", "9141 0600 MA44 XKQ3 5C", "91410600ma44xkq35c"],
)
def test_valid_credit_codes(code: str) -> None:
    assert len(validation.normalize_uscc(code)) == 18


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91410600MA44XKQ35D", "校验位"),
        ("91410600MA44XKQ35", "18位"),
        ("91410600MA44XKQ3IC", "字符"),
    ],
)
def test_invalid_credit_codes(code: str, reason: str) -> None:
    with pytest.raises(ValueError) as info:
        validation.normalize_uscc(code)
    assert reason in str(info.value)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0392-3312345", "0392-3312345"),
        ("03923312345", "0392-3312345"),
        ("010-62345678", "010-62345678"),
    ],
)
def test_valid_phones(raw: str, normal: str) -> None:
    assert validation.normalize_phone(raw) == normal


@pytest.mark.parametrize("raw", ["12345", "1381234567", "0392-12345", "abc", "+1 202 555 0100", ""])
def test_invalid_phones(raw: str) -> None:
    with pytest.raises(ValueError):
        validation.normalize_phone(raw)


def test_an_optional_identifier_is_normalised_kept_when_refused_and_may_be_empty() -> None:
    from hotline.errors import Problems

    problems = Problems()
    assert validation.normalized(problems, "phone", "", validation.normalize_phone) == ""
    assert not problems
    assert (
        validation.normalized(problems, "phone", "+86 138 1234 5678", validation.normalize_phone)
        == "13812345678"
    )
    assert not problems
    assert validation.normalized(problems, "uscc", "12345", validation.normalize_uscc) == "12345"
    assert [(p.field, p.message) for p in problems.items] == [("uscc", validation.MSG_USCC_LENGTH)]


def test_labels_and_codes_are_both_accepted(database) -> None:
    draft = parse_intake(
        sample_case(
            channel="12345转办", kind="举报", category="政府欠款", district="淇滨区", urgency="紧急"
        )
    )
    assert (draft.channel, draft.kind, draft.category) == (
        Channel.TRANSFER_12345,
        Kind.REPORT,
        Category.ARREARS,
    )
    assert draft.district_code == "410611"


def test_every_problem_is_reported_at_once(database, cli_actor) -> None:
    bad = sample_case(
        channel="传真",
        kind="",
        district="北京",
        subject="",
        description="x" * 20001,
        enterprise={"name": "某公司", "uscc": "91410600MA44XKQ35D"},
        contact={"name": "", "phone": "12345"},
        received_at="昨天",
    )
    with pytest.raises(ValidationError) as info:
        cases.register(cli_actor, bad)
    assert info.value.fields() == {
        "channel",
        "kind",
        "district",
        "subject",
        "description",
        "enterprise.uscc",
        "contact.name",
        "contact.phone",
        "received_at",
    }
    assert Case.select().count() == 0
    assert Enterprise.select().count() == 0


def test_register_many_is_all_or_nothing(database, cli_actor) -> None:
    with pytest.raises(ValidationError) as info:
        cases.register_many(cli_actor, [sample_case(), sample_case(kind="闲聊")])
    assert info.value.fields() == {"[2].kind"}
    assert Case.select().count() == 0
    made = cases.register_many(cli_actor, [sample_case(), sample_case(subject="第二件")])
    assert [c.case_no[-4:] for c in made] == ["0001", "0002"]


def test_case_numbers_are_readable_and_sortable(database, cli_actor) -> None:
    first = cases.register(cli_actor, sample_case(received_at="2026-11-20T09:00:00"))
    second = cases.register(cli_actor, sample_case(received_at="2026-11-20T10:00:00"))
    third = cases.register(cli_actor, sample_case(received_at="2026-11-21T08:00:00"))
    assert first.case_no == "YS20261120-0001"
    assert second.case_no == "YS20261120-0002"
    assert third.case_no == "YS20261121-0001"


def test_enterprise_is_reused_and_repeats_are_linked(database, cli_actor) -> None:
    first = cases.register(cli_actor, sample_case())
    again = cases.register(cli_actor, sample_case(subject="再次反映审批拖延"))
    other_category = cases.register(cli_actor, sample_case(category="税费"))
    assert first.enterprise_id == again.enterprise_id == other_category.enterprise_id
    assert Enterprise.select().count() == 1
    assert again.repeat_of_id == first.id
    assert other_category.repeat_of_id is None
    assert cases.find_repeat_for_draft("鹤壁市华联商贸有限公司", None, "approval").id == again.id


def test_control_characters_are_refused_on_every_backend(database, cli_actor) -> None:
    from hotline import workflow

    with pytest.raises(ValidationError) as info:
        cases.register(
            cli_actor, sample_case(subject="带\x00空字符", description="正常\n换行\t制表")
        )
    assert info.value.fields() == {"subject"}
    case = cases.register(cli_actor, sample_case(description="正常\n换行\t制表"))
    with pytest.raises(ValidationError):
        workflow.add_note(cli_actor, case.id, "备注\x00")


@pytest.mark.parametrize(
    "overrides",
    [
        {"subject": "坏\ud800字"},
        {"district": "\ud800"},
        {"enterprise": {"name": "坏\udc00企业"}},
        {"contact": {"name": "张\udfff", "phone": "13812345678"}},
    ],
)
def test_lone_surrogates_are_refused_not_a_crash(database, cli_actor, overrides) -> None:
    """ "\\ud800" in a JSON file becomes a lone surrogate, which no database can store."""
    with pytest.raises(ValidationError) as info:
        cases.register(cli_actor, sample_case(**overrides))
    assert info.value.fields() == {
        {"enterprise": "enterprise.name", "contact": "contact.name"}.get(key, key)
        for key in overrides
    }
    assert Case.select().count() == 0


def test_a_bad_value_quoted_in_a_message_can_be_printed(database, cli_actor) -> None:
    with pytest.raises(ValidationError) as info:
        cases.register(cli_actor, sample_case(channel="电\ud800报"))
    assert "电\ufffd报" in info.value.text
    info.value.text.encode("utf-8")  # would raise with the surrogate in it


def test_enterprise_details_refuse_unstorable_characters(database, cli_actor) -> None:
    from hotline import enterprises

    case = cases.register(cli_actor, sample_case())
    with pytest.raises(ValidationError) as info:
        enterprises.update_details(
            cli_actor,
            case.enterprise_id,
            industry="批发\x00零售",
            steward_name="李\ud800",
            steward_phone="",
        )
    assert info.value.fields() == {"industry", "steward_name"}


@pytest.mark.parametrize(
    ("value", "message"),
    [("0001-01-01T00:00:00+14:00", "受理时间过早"), ("9999-12-31T23:59:59-14:00", "不能晚于现在")],
)
def test_a_time_outside_what_a_datetime_holds_is_refused_by_field(
    database, cli_actor, value: str, message: str
) -> None:
    """Converting these to China time overflows: a message on the field, not a traceback."""
    with pytest.raises(ValidationError) as info:
        cases.register(cli_actor, sample_case(received_at=value))
    assert info.value.fields() == {"received_at"}
    assert message in str(info.value.problems[0].text)


@pytest.mark.parametrize("field", ["industry", "steward_name"])
def test_enterprise_details_refuse_texts_over_40_characters(database, cli_actor, field) -> None:
    from hotline import enterprises
    from hotline.models import Enterprise

    details = {"industry": "批发零售", "steward_name": "李四", "steward_phone": ""}
    enterprise_id = cases.register(cli_actor, sample_case()).enterprise_id
    with pytest.raises(ValidationError) as info:
        enterprises.update_details(cli_actor, enterprise_id, **{**details, field: "字" * 41})
    assert info.value.fields() == {field}
    assert "41" in info.value.text
    assert getattr(Enterprise.get_by_id(enterprise_id), field) != "字" * 41
    enterprises.update_details(cli_actor, enterprise_id, **{**details, field: "字" * 40})
    assert getattr(Enterprise.get_by_id(enterprise_id), field) == "字" * 40
