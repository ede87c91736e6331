"""The case lifecycle's state machine as a table: for each action, the states it may be taken
from, the state it leads to and the permission it needs. Plain data, no database: the lists
ask it about their rows without loading the workflow (:mod:`hotline.workflow` acts on it).
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.enums import Kind, Status
from hotline.permissions import Action, Actor

S = Status
OPEN_FOR_NOTES = tuple(Status)


@dataclass(frozen=True)
class Transition:
    sources: tuple[Status, ...]
    target: Status | None  # None: the state does not change
    permission: Action


TRANSITIONS: dict[str, Transition] = {
    "answer_on_spot": Transition((S.REGISTERED,), S.CLOSED, Action.CASE_ANSWER_ON_SPOT),
    "dispatch": Transition((S.REGISTERED, S.RETURNED), S.DISPATCHED, Action.CASE_DISPATCH),
    "return": Transition((S.DISPATCHED,), S.RETURNED, Action.CASE_RETURN),
    "request_extension": Transition((S.DISPATCHED,), None, Action.CASE_REQUEST_EXTENSION),
    "decide_extension": Transition((S.DISPATCHED,), None, Action.CASE_DECIDE_EXTENSION),
    "reply": Transition((S.DISPATCHED,), S.REPLIED, Action.CASE_REPLY),
    "callback": Transition((S.REPLIED,), S.CALLED_BACK, Action.CASE_CALLBACK),
    "close": Transition((S.REPLIED, S.CALLED_BACK), S.CLOSED, Action.CASE_CLOSE),
    "reopen": Transition((S.CALLED_BACK, S.CLOSED), S.REGISTERED, Action.CASE_REOPEN),
    "withdraw": Transition(
        (S.REGISTERED, S.DISPATCHED, S.RETURNED, S.REPLIED, S.CALLED_BACK),
        S.WITHDRAWN,
        Action.CASE_WITHDRAW,
    ),
    "note": Transition(OPEN_FOR_NOTES, None, Action.CASE_ADD_NOTE),
    # The department stage (hotline.workflow): a department accepts (签收) a dispatched case,
    # the centre issues supervision notices (催办/督办) the department answers, and lets the
    # department see a confidential caller on one case.
    "accept": Transition((S.DISPATCHED,), None, Action.CASE_ACCEPT),
    "supervise": Transition((S.DISPATCHED,), None, Action.CASE_SUPERVISE),
    "answer_supervision": Transition((S.DISPATCHED,), None, Action.CASE_REPLY),
    # Co-handling (会办, hotline.cohandling): an assisting department answers its part to the
    # lead department (the centre may enter a part given on paper, as it enters replies).
    "answer_assist": Transition((S.DISPATCHED,), None, Action.CASE_REPLY),
    "grant_caller": Transition(
        (S.DISPATCHED, S.REPLIED, S.CALLED_BACK), None, Action.CASE_GRANT_CALLER
    ),
}

ON_SPOT_KINDS = (Kind.CONSULTATION, Kind.HELP, Kind.PRAISE)

# What an assisting department (会办单位) may do on a case it does not lead.
ASSISTING_ACTIONS = frozenset({"answer_assist", "note"})


def may_take(name: str, status: str, actor: Actor) -> bool:
    """Whether a case in ``status`` allows action ``name`` to ``actor`` (the role's permission
    and the state, as the case window checks them); for a list's row, which has no more."""
    transition = TRANSITIONS[name]
    return Status(status) in transition.sources and actor.can(transition.permission)
