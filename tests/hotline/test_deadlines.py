import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline import db as hotline_db
from hotline.deadlines import (
    SETTING_KEY,
    DeadlinePolicy,
    DeadlineState,
    case_deadline,
    compute_deadline,
    deadline_state,
    due_soon_before,
    extension_limit,
    load_policy,
    remaining_workdays,
    return_deadline,
    save_policy,
)
from hotline.enums import Kind, Urgency
from hotline.errors import ValidationError
from hotline.i18n import set_locale
from hotline.models import Setting
from hotline.workdays import WorkCalendar

D = dt.date
POLICY = DeadlinePolicy()
CALENDAR = WorkCalendar()


@pytest.fixture(autouse=True)
def chinese():
    set_locale("zh_CN")


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    db = hotline_db.open_database(tmp_path / "t.sqlite3")
    yield db
    hotline_db.close()


def deadline(kind=Kind.COMPLAINT, urgency=Urgency.NORMAL, *, received, dispatched=None, **kw):
    calendar = kw.pop("calendar", CALENDAR)
    policy = kw.pop("policy", POLICY)
    return compute_deadline(
        policy,
        calendar,
        kind=kind,
        urgency=urgency,
        received=received,
        dispatched=dispatched or received,
    )


def test_defaults_follow_the_product():
    assert POLICY.urgent_workdays == 0
    assert POLICY.kind_workdays == {
        "consultation": 3,
        "help": 3,
        "complaint": 13,
        "report": 13,
        "suggestion": 13,
        "praise": 13,
    }
    assert (POLICY.ceiling_days, POLICY.extension_days) == (30, 30)
    assert (POLICY.return_workdays, POLICY.due_soon_workdays) == (2, 1)
    POLICY.validate()


def test_complaint_across_national_day_2026():
    result = deadline(received=D(2026, 9, 28), dispatched=D(2026, 9, 29))
    # Sep 30, Oct 8, 9, 10 (make-up Saturday), 12-16, 19-22: the 13th is Oct 22.
    assert result.due == D(2026, 10, 22)
    assert result.ceiling == D(2026, 10, 28)
    assert result.warnings == []


def test_consultation_lands_on_the_make_up_saturday():
    result = deadline(Kind.CONSULTATION, received=D(2026, 9, 30))
    assert result.due == D(2026, 10, 10)


def test_help_across_spring_festival_2026():
    result = deadline(Kind.HELP, received=D(2026, 2, 12))
    assert result.due == D(2026, 2, 24)  # Feb 13, Feb 14 (make-up), Feb 24


def test_weekend_is_skipped():
    assert deadline(Kind.CONSULTATION, received=D(2026, 3, 6)).due == D(2026, 3, 11)
    assert deadline(Kind.PRAISE, received=D(2026, 3, 6)).due == D(2026, 3, 25)


def test_urgent_is_the_same_working_day():
    assert deadline(urgency=Urgency.URGENT, received=D(2026, 3, 11)).due == D(2026, 3, 11)
    # Dispatched during the holiday: the first working day after it.
    assert deadline(urgency="urgent", kind="report", received=D(2026, 10, 3)).due == D(2026, 10, 8)


def test_ceiling_cuts_across_the_long_holiday_to_the_last_working_day():
    # Received Sep 3: ceiling Oct 3, a holiday. 13 working days from Sep 18 reach Oct 12.
    result = deadline(received=D(2026, 9, 3), dispatched=D(2026, 9, 18))
    assert result.ceiling == D(2026, 10, 3)
    assert result.due == D(2026, 9, 30)
    assert len(result.warnings) == 1
    assert "2026-09-30" in result.warnings[0]
    assert "2026-10-03" in result.warnings[0]


def test_ceiling_on_a_working_day_is_the_deadline():
    result = deadline(received=D(2026, 9, 8), dispatched=D(2026, 9, 25))
    assert (result.due, result.ceiling) == (D(2026, 10, 8), D(2026, 10, 8))
    assert result.warnings


def test_ceiling_already_past_at_dispatch():
    result = deadline(received=D(2026, 3, 1), dispatched=D(2026, 4, 6))
    assert result.due == result.ceiling == D(2026, 3, 31)


@pytest.mark.parametrize("year", [2027, 2030])
def test_deadline_past_the_package_falls_back_with_a_warning(year):
    received = D(year, 6, 7) - dt.timedelta(days=D(year, 6, 7).weekday())  # a Monday
    result = deadline(received=received)
    assert result.due == received + dt.timedelta(days=17)  # 13 working days, 2 weekends
    assert len(result.warnings) == 1
    assert str(year) in result.warnings[0]


def test_deadline_running_into_2027_warns_once():
    result = deadline(received=D(2026, 12, 28))
    assert result.due == D(2027, 1, 14)
    assert len(result.warnings) == 1 and "2027" in result.warnings[0]
    calendar = WorkCalendar({D(2027, 1, 1): False})
    assert deadline(received=D(2026, 12, 28), calendar=calendar).due == D(2027, 1, 15)


def test_return_and_extension_limits():
    # Fri Sep 18: Sun Sep 20 is a make-up day, so two working days end on Mon Sep 21.
    assert return_deadline(POLICY, CALENDAR, D(2026, 9, 18)) == D(2026, 9, 21)
    assert return_deadline(POLICY, CALENDAR, D(2026, 9, 30)) == D(2026, 10, 9)
    assert extension_limit(POLICY, D(2026, 9, 3)) == D(2026, 11, 2)


def test_overdue_and_due_soon():
    due = D(2026, 10, 8)
    assert remaining_workdays(CALENDAR, due, D(2026, 9, 29)) == 2
    assert remaining_workdays(CALENDAR, due, D(2026, 9, 30)) == 1
    assert remaining_workdays(CALENDAR, due, D(2026, 10, 9)) == -1
    assert _waiting(due, D(2026, 9, 29)) is DeadlineState.ON_TIME  # not due soon
    assert _waiting(due, D(2026, 9, 30)) is DeadlineState.DUE_SOON
    assert _waiting(due, due) is DeadlineState.DUE_TODAY  # due soon, not overdue
    assert _waiting(due, D(2026, 10, 9)) is DeadlineState.OVERDUE  # and no longer due soon


def _waiting(due: dt.date, today: dt.date, policy: DeadlinePolicy = POLICY) -> DeadlineState:
    """The state of a dispatched case due on ``due``, with due soon as the policy says."""
    soon = due_soon_before(policy, CALENDAR, today)
    return deadline_state(due, today, waiting=True, soon_before=soon)


def test_waiting_case_on_the_days_around_its_deadline():
    due = D(2026, 11, 26)  # a Thursday
    assert _waiting(due, D(2026, 11, 24)) is DeadlineState.ON_TIME  # two working days left
    assert _waiting(due, D(2026, 11, 25)) is DeadlineState.DUE_SOON  # one left
    assert _waiting(due, due) is DeadlineState.DUE_TODAY
    assert _waiting(due, D(2026, 11, 27)) is DeadlineState.OVERDUE  # the day after
    # Without the calendar horizon (the case list) a near deadline is simply on time.
    lists = deadline_state(due, D(2026, 11, 25), waiting=True)
    assert lists is DeadlineState.ON_TIME
    # No deadline yet, or no longer waiting and never answered (returned, reopened,
    # withdrawn): no state, however late it is.
    assert deadline_state(None, due, waiting=True) is DeadlineState.NONE
    assert deadline_state(due, D(2027, 1, 1), waiting=False) is DeadlineState.NONE


def test_due_soon_counts_working_days_across_holidays_and_make_up_days():
    # Wed 2026-09-30, then the National Day holiday to Wed 10-07: Thu 10-08 is one working
    # day away, Fri 10-09 two.
    today = D(2026, 9, 30)
    assert due_soon_before(POLICY, CALENDAR, today) == D(2026, 10, 9)
    assert _waiting(D(2026, 10, 8), today) is DeadlineState.DUE_SOON
    assert _waiting(D(2026, 10, 9), today) is DeadlineState.ON_TIME
    # Fri 2026-09-18: Sun 09-20 is a make-up working day, so it is the one day left.
    assert _waiting(D(2026, 9, 20), D(2026, 9, 18)) is DeadlineState.DUE_SOON
    assert _waiting(D(2026, 9, 21), D(2026, 9, 18)) is DeadlineState.ON_TIME
    # A policy of 0 days: only the deadline day itself warns.
    none_soon = DeadlinePolicy(due_soon_workdays=0)
    assert _waiting(D(2026, 9, 20), D(2026, 9, 18), none_soon) is DeadlineState.ON_TIME


@settings(deadline=None)  # no timed assertions
@given(
    today=st.dates(D(2026, 1, 1), D(2027, 12, 31)),
    ahead=st.integers(0, 40),
    soon_days=st.integers(0, 5),
)
def test_due_soon_is_at_most_the_policys_working_days_left(today, ahead, soon_days):
    due = today + dt.timedelta(days=ahead)
    policy = DeadlinePolicy(due_soon_workdays=soon_days)
    state = _waiting(due, today, policy)
    left = remaining_workdays(CALENDAR, due, today)
    assert (state in (DeadlineState.DUE_SOON, DeadlineState.DUE_TODAY)) == (left <= soon_days)


def test_answered_case_met_or_missed_its_deadline_day():
    due = D(2026, 11, 26)
    late_night = dt.datetime(2026, 11, 26, 23, 59, 59)
    midnight = dt.datetime(2026, 11, 27, 0, 0)

    def state(answered, deadline=due, today=None):
        today = today or D(2027, 3, 1)
        return deadline_state(deadline, today, waiting=False, answered_at=answered)

    assert state(late_night) is DeadlineState.MET  # the whole deadline day counts
    assert state(midnight) is DeadlineState.MISSED
    assert state(dt.datetime(2026, 11, 20, 10, 0)) is DeadlineState.MET
    assert state(midnight, today=D(2026, 11, 27)) is DeadlineState.MISSED  # today is irrelevant
    assert state(midnight, deadline=None) is DeadlineState.MET  # on the spot, no deadline
    # An extension moves the deadline itself: the same answer is then on time.
    assert state(midnight, deadline=D(2026, 12, 4)) is DeadlineState.MET


def test_case_deadline_for_the_case_window():
    due = D(2026, 11, 26)
    on = dict(status="dispatched", deadline=due, answered_at=None)
    soon = case_deadline(POLICY, CALENDAR, **on, today=D(2026, 11, 25))
    assert soon is not None
    assert (soon.state, soon.remaining, soon.running, soon.due_soon, soon.overdue) == (
        DeadlineState.DUE_SOON,
        1,
        True,
        True,
        False,
    )
    late = case_deadline(POLICY, CALENDAR, **on, today=D(2026, 11, 30))
    assert late is not None
    assert (late.state, late.remaining, late.overdue, late.due_soon) == (
        DeadlineState.OVERDUE,
        -2,
        True,
        False,
    )
    answered = dt.datetime(2026, 11, 27, 9, 0)
    replied = case_deadline(
        POLICY, CALENDAR, status="replied", deadline=due, answered_at=answered, today=due
    )
    assert replied is not None
    assert (replied.state, replied.running, replied.overdue) == (DeadlineState.MISSED, False, False)
    assert (
        case_deadline(POLICY, CALENDAR, status="registered", deadline=None, answered_at=None)
        is None
    )


def test_json_round_trip():
    policy = DeadlinePolicy(urgent_workdays=1, ceiling_days=20, extension_days=15)
    policy.kind_workdays["complaint"] = 10
    again = DeadlinePolicy.from_json(policy.to_json())
    assert again == policy
    assert again is not policy


def test_missing_fields_take_defaults():
    policy = DeadlinePolicy.from_json('{"kind_workdays": {"help": 5}}')
    assert policy.kind_workdays["help"] == 5
    assert policy.kind_workdays["complaint"] == 13
    assert policy.ceiling_days == 30


def problem_fields(text_or_policy) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        if isinstance(text_or_policy, str):
            DeadlinePolicy.from_json(text_or_policy)
        else:
            text_or_policy.validate()
    for problem in caught.value.problems:
        assert problem.text  # every message formats with its parameters
    return caught.value.fields()


def test_validation_reports_each_bad_field():
    data = {
        "urgent_workdays": -1,
        "return_workdays": 2.5,
        "due_soon_workdays": True,
        "ceiling_days": 31,
        "extension_days": "30",
        "kind_workdays": {"complaint": 13, "gossip": 3},
        "colour": "red",
    }
    assert problem_fields(json.dumps(data)) == {
        "urgent_workdays",
        "return_workdays",
        "due_soon_workdays",
        "ceiling_days",
        "extension_days",
        "kind_workdays.gossip",
        "colour",
    }


def test_working_days_beyond_the_ceiling_are_refused():
    policy = DeadlinePolicy(ceiling_days=10)
    assert problem_fields(policy) == {
        "kind_workdays.complaint",
        "kind_workdays.report",
        "kind_workdays.suggestion",
        "kind_workdays.praise",
    }
    assert problem_fields(DeadlinePolicy(ceiling_days=0)) == {"ceiling_days"}


def test_missing_kind_and_broken_json():
    policy = DeadlinePolicy(kind_workdays={"help": 3})
    assert "kind_workdays.complaint" in problem_fields(policy)
    assert problem_fields("{not json") == {"policy"}
    assert problem_fields("[1, 2]") == {"policy"}
    assert problem_fields('{"kind_workdays": [3]}') == {"kind_workdays"}


def test_load_and_save(database):
    assert load_policy() == DeadlinePolicy()
    policy = DeadlinePolicy(urgent_workdays=1)
    policy.kind_workdays["consultation"] = 2
    save_policy(policy)
    assert load_policy() == policy
    policy.kind_workdays["consultation"] = 4
    save_policy(policy)
    assert load_policy().kind_workdays["consultation"] == 4
    assert Setting.select().where(Setting.key == SETTING_KEY).count() == 1


def test_invalid_policy_is_not_saved(database):
    with pytest.raises(ValidationError):
        save_policy(DeadlinePolicy(ceiling_days=45))
    assert Setting.get_or_none(Setting.key == SETTING_KEY) is None


def test_unreadable_stored_policy_gives_the_defaults(database):
    Setting.create(key=SETTING_KEY, value='{"ceiling_days": -3}')
    assert load_policy() == DeadlinePolicy()
