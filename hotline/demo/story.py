"""The history of one demo case: which steps it went through, when, and who recorded them.

``StoryTeller.tell`` plans the whole life of a case from the moment it was received
(answered on the spot; or dispatched, perhaps returned and re-dispatched, perhaps extended,
replied — late for a slow department —, called back, closed, sometimes reopened or withdrawn)
and keeps only the events that happened before "now", so recent cases are still open and some
are overdue. Deadlines are the real ones (working days, :mod:`hotline.deadlines`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hotline import deadlines
from hotline.demo import data
from hotline.demo.text import Slots, Weighted
from hotline.enums import Kind, Urgency
from hotline.transfer.replay import TimelineEvent
from hotline.workdays import WorkCalendar

ON_SPOT_SHARE = {"consultation": 0.7, "help": 0.2, "praise": 0.6}
SATISFACTION = Weighted({"satisfied": 78, "basically_satisfied": 15, "dissatisfied": 7})
ASSIST_COUNT = Weighted(data.ASSIST_COUNT)
ASSIST_WORKDAYS = Weighted(data.ASSIST_WORKDAYS)
ASSIST_FATE = Weighted(data.ASSIST_FATE)
MINUTE = dt.timedelta(minutes=1)


class Stop(Exception):
    """The next event would lie in the future: the story ends here, for now."""


class Timeline:
    """The events of one case, in time order, none after ``now``."""

    def __init__(self, now: dt.datetime, operator: str) -> None:
        self.now = now
        self.operator = operator
        self.events: list[TimelineEvent] = []

    def add(
        self,
        at: dt.datetime,
        action: str,
        text: str = "",
        payload: dict[str, Any] | None = None,
        *,
        actor: str | None = None,
        internal: bool = False,
    ) -> dt.datetime:
        if self.events and at < self.events[-1].at:
            at = self.events[-1].at
        if at > self.now:
            raise Stop
        self.events.append(
            TimelineEvent(at, action, actor or self.operator, internal, text, payload)
        )
        return at


@dataclass(frozen=True)
class _Opening:
    """What a case's story starts from."""

    kind: str
    category: str
    urgency: str
    received_at: dt.datetime
    topic: data.Topic
    slots: Slots


class StoryTeller:
    def __init__(
        self,
        rng: random.Random,
        policy: deadlines.DeadlinePolicy,
        calendar: WorkCalendar,
        departments: Mapping[str, str],
        now: dt.datetime,
    ) -> None:
        self.rng = rng
        self.policy = policy
        self.calendar = calendar
        self.departments = departments  # code -> name
        self.now = now
        self._deadlines: dict[tuple[str, str, dt.date, dt.date], dt.date] = {}
        self._workdays: dict[tuple[dt.date, int], dt.date] = {}
        self._between: dict[tuple[dt.date, dt.date], int] = {}
        self._is_workday: dict[dt.date, bool] = {}

    # --- calendar helpers, cached: a million cases ask the same few thousand questions ----

    def deadline(self, kind: str, urgency: str, received: dt.date, dispatched: dt.date) -> dt.date:
        key = (kind, urgency, received, dispatched)
        due = self._deadlines.get(key)
        if due is None:
            due = deadlines.compute_deadline(
                self.policy,
                self.calendar,
                kind=Kind(kind),
                urgency=Urgency(urgency),
                received=received,
                dispatched=dispatched,
            ).due
            self._deadlines[key] = due
        return due

    def workday(self, start: dt.date, n: int) -> dt.date:
        day = self._workdays.get((start, n))
        if day is None:
            day = self._workdays[(start, n)] = self.calendar.add_workdays(start, n)
        return day

    def is_workday(self, day: dt.date) -> bool:
        known = self._is_workday.get(day)
        if known is None:
            known = self._is_workday[day] = self.calendar.is_workday(day)
        return known

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        count = self._between.get((start, end))
        if count is None:
            count = self._between[(start, end)] = self.calendar.workdays_between(start, end)
        return count

    def office_time(self, day: dt.date, not_before: dt.datetime) -> dt.datetime:
        """A time during office hours of ``day``, and a while after ``not_before``."""
        rng = self.rng
        at = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(seconds=rng.randrange(32400))
        return max(at, not_before + dt.timedelta(seconds=rng.randrange(600, 5400)))

    def later(self, at: dt.datetime, low: int, high: int) -> dt.datetime:
        """``at`` plus between ``low`` and ``high`` minutes."""
        return at + self.rng.randrange(low, high) * MINUTE

    # --- the story ------------------------------------------------------------------------

    def tell(
        self,
        *,
        kind: str,
        category: str,
        urgency: str,
        received_at: dt.datetime,
        topic: data.Topic,
        slots: Slots,
        repeat_of: str | None = None,
    ) -> list[TimelineEvent]:
        rng = self.rng
        line = Timeline(self.now, rng.choice(data.OPERATORS))
        registered = min(received_at + dt.timedelta(seconds=rng.randrange(60, 480)), self.now)
        line.add(registered, "register")
        if repeat_of:
            line.add(registered, "repeat", payload={"repeat_of": repeat_of}, internal=True)
        try:
            if rng.random() < ON_SPOT_SHARE.get(kind, 0.0):
                answers = data.ON_SPOT_ANSWERS if topic.tone == "problem" else topic.replies
                answer = rng.choice(answers).format_map(slots)
                line.add(self.later(registered, 1, 10), "answer_on_spot", answer)
            elif rng.random() < 0.02:
                reason = rng.choice(data.WITHDRAW_REASONS)
                line.add(self.later(registered, 10, 600), "withdraw", reason)
            else:
                opening = _Opening(kind, category, urgency, received_at, topic, slots)
                self._rounds(line, opening)
        except Stop:
            pass
        return line.events

    def _rounds(self, line: Timeline, opening: _Opening) -> None:
        """One round of handling; a dissatisfied enterprise may get a second one (重办)."""
        rng = self.rng
        for round_no in (1, 2):
            dissatisfied = self._round(line, opening)
            at = line.events[-1].at
            if dissatisfied is None:
                return
            if not dissatisfied or round_no == 2 or rng.random() < 0.5:
                line.add(self.later(at, 10, 240), "close")
                return
            line.add(
                self.later(at, 30, 1440),
                "reopen",
                rng.choice(data.REOPEN_REASONS),
                {"round": 2, "satisfaction": "dissatisfied"},
                actor=rng.choice(data.SHIFT_LEADS),
            )

    def _round(self, line: Timeline, opening: _Opening) -> bool | None:
        """Dispatch … callback; whether the enterprise was dissatisfied, None when the case
        ended otherwise (withdrawn, closed without a callback)."""
        rng = self.rng
        kind, category, urgency = opening.kind, opening.category, opening.urgency
        received_at, topic, slots = opening.received_at, opening.topic, opening.slots
        codes = [c for c in data.CATEGORY_DEPARTMENTS[category] if c in self.departments]
        code = rng.choice(codes or list(self.departments))
        helpers = self._helpers(kind, category, urgency, code, codes)
        days = ASSIST_WORKDAYS.draw(rng) if helpers else 0
        due = self._dispatch(
            line,
            kind,
            urgency,
            received_at,
            self._dispatch_time(line, urgency),
            code,
            helpers,
            days,
        )
        # Co-handled matters are more often sent back: a lead that thinks it only assists.
        if rng.random() < (0.1 if helpers else 0.04):  # returned, then re-dispatched
            reason = rng.choice(data.RETURN_REASONS)
            at = line.add(
                self.later(line.events[-1].at, 60, 1500),
                "return",
                reason,
                {"department": self.departments[code]},
            )
            code = rng.choice([c for c in self.departments if c != code])
            helpers = [h for h in helpers if h != code]
            due = self._dispatch(
                line,
                kind,
                urgency,
                received_at,
                self.later(at, 30, 240),
                code,
                helpers,
                days,
            )
        parts = self._assist_answers(line, helpers, days, due)
        if rng.random() < 0.03:
            due = self._extension(line, received_at, due)
        if rng.random() < 0.15:
            for _note in range(rng.randint(1, 2)):
                at = self.later(line.events[-1].at, 60, 2880)
                line.add(at, "note", rng.choice(data.NOTES), internal=True)
        if rng.random() < 0.01:
            at = self.later(line.events[-1].at, 60, 2880)
            line.add(at, "withdraw", rng.choice(data.WITHDRAW_REASONS))
            return None
        replies = [r for r in topic.replies if r.format_map(slots) not in self._replied(line)]
        at = line.add(
            self._reply_time(urgency, line.events[-1].at, due),
            "reply",
            rng.choice(replies or topic.replies).format_map(slots),
            parts or None,
        )
        if rng.random() < 0.06:
            text = rng.choice(data.CLOSE_WITHOUT_CALLBACK)
            line.add(
                self.office_time(self.workday(at.date(), rng.randint(1, 3)), at), "close", text
            )
            return None
        satisfaction: str = SATISFACTION.draw(rng)
        line.add(
            self.office_time(self.workday(at.date(), rng.randint(1, 3)), at),
            "callback",
            rng.choice(data.CALLBACK_COMMENTS[satisfaction]),
            {"satisfaction": satisfaction},
        )
        return satisfaction == "dissatisfied"

    @staticmethod
    def _replied(line: Timeline) -> set[str]:
        """Replies already given in an earlier round (a second round gets another answer)."""
        return {e.text for e in line.events if e.action == "reply"}

    def _dispatch_time(self, line: Timeline, urgency: str) -> dt.datetime:
        """Urgent cases go out at once; others in office hours, the same or next working day."""
        start = line.events[-1].at
        if urgency == "urgent":
            return self.later(start, 5, 60)
        day = start.date()
        if start.hour >= 16 or not self.is_workday(day):
            day = self.workday(day, 1)
        return self.office_time(day, start)

    def _dispatch(
        self,
        line: Timeline,
        kind: str,
        urgency: str,
        received_at: dt.datetime,
        at: dt.datetime,
        code: str,
        helpers: Sequence[str] = (),
        days: int = 0,
    ) -> dt.date:
        due = self.deadline(kind, urgency, received_at.date(), at.date())
        payload: dict[str, Any] = {
            "department": self.departments[code],
            "deadline": due.isoformat(),
            "return_until": self.workday(at.date(), self.policy.return_workdays).isoformat(),
            "warnings": [],
        }
        if helpers:
            # As workflow.dispatch: the parts are due ``days`` working days after the
            # dispatch, never after the lead's deadline.
            part_due = min(due, self.workday(at.date(), days)).isoformat()
            payload["assisting"] = [
                {"department": self.departments[h], "deadline": part_due} for h in helpers
            ]
        line.add(at, "dispatch", self.rng.choice(data.DISPATCH_NOTES), payload)
        return due

    def _helpers(
        self, kind: str, category: str, urgency: str, lead: str, codes: list[str]
    ) -> list[str]:
        """The assisting departments (会办) of a dispatch, if any: the category's other
        departments first, then any other (none for praise or an urgent case)."""
        rng = self.rng
        share = data.ASSIST_SHARE.get(category, data.ASSIST_SHARE_OTHER)
        if kind == "praise" or urgency == "urgent" or rng.random() >= share:
            return []
        count: int = ASSIST_COUNT.draw(rng)
        near = list(dict.fromkeys(c for c in codes if c != lead))
        rng.shuffle(near)
        if len(near) < count:
            others = [c for c in self.departments if c != lead and c not in near]
            near += rng.sample(others, min(count - len(near), len(others)))
        return near[:count]

    def _assist_answers(
        self, line: Timeline, helpers: list[str], days: int, due: dt.date
    ) -> dict[str, Any]:
        """The assisting departments answer their parts to the lead (会办意见), in time
        order: most on time, some late, some not before the lead's reply. What the lead's
        reply then records about the parts (as workflow.reply does)."""
        if not helpers:
            return {}
        rng = self.rng
        dispatched = line.events[-1].at
        part_due = min(due, self.workday(dispatched.date(), days))
        span = max(0, self.workdays_between(dispatched.date(), part_due))
        answers: list[tuple[dt.datetime, str, bool]] = []
        for code in helpers:
            fate = ASSIST_FATE.draw(rng)
            if fate == "none":
                continue
            if fate == "late":
                day = self.workday(part_due, rng.randint(1, 4))
            else:
                day = min(self.workday(dispatched.date(), rng.randint(0, span)), part_due)
            at = self.office_time(day, dispatched)
            answers.append((at, code, at.date() <= part_due))
        answered = []
        for at, code, on_time in sorted(answers):
            name = self.departments[code]
            payload = {"department": name, "deadline": part_due.isoformat(), "on_time": on_time}
            line.add(at, "answer_assist", rng.choice(data.ASSIST_ANSWERS), payload, actor=name)
            answered.append(code)
        return {
            "parts_answered": len(answered),
            "parts_unanswered": [self.departments[h] for h in helpers if h not in answered],
        }

    def _extension(self, line: Timeline, received_at: dt.datetime, due: dt.date) -> dt.date:
        """Ask for more time before the deadline; a shift lead mostly approves."""
        rng = self.rng
        at = line.events[-1].at
        limit = deadlines.extension_limit(self.policy, received_at.date())
        until = min(due + dt.timedelta(days=rng.randint(7, 20)), limit)
        due_start = dt.datetime.combine(due, dt.time(9, 0))
        if until <= due or due_start <= at:
            return due
        request_at = (at + (due_start - at) * rng.uniform(0.3, 0.9)).replace(microsecond=0)
        reason = rng.choice(data.EXTENSION_REASONS)
        at = line.add(request_at, "request_extension", reason, {"until": until.isoformat()})
        approved = rng.random() < 0.85
        text = rng.choice(data.EXTENSION_DECISIONS) if approved else "理由不充分，请按期办结。"
        line.add(
            self.later(at, 30, 600),
            "decide_extension",
            text,
            {"approved": approved, "until": until.isoformat()},
            actor=rng.choice(data.SHIFT_LEADS),
        )
        return until if approved else due

    def _reply_time(self, urgency: str, at: dt.datetime, due: dt.date) -> dt.datetime:
        """When the department answers: mostly in time; a slow one after the deadline."""
        rng = self.rng
        if urgency == "urgent":
            return self.later(at, 60, 420)
        if rng.random() < 0.09:  # a slow department: late by a few working days
            return self.office_time(self.workday(due, rng.randint(1, 8)), at)
        span = max(0, self.workdays_between(at.date(), due))
        return self.office_time(self.workday(at.date(), rng.randint(0, span)), at)
