"""What a decision looks like: grounds, outcomes, reasons with their basis, and the decision.

Texts are kept as message ids with parameters and rendered in the active language when read,
so a stored decision (``Decision.to_record``) reads in Chinese or English alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from hotline.exemption.facts import missing_label
from hotline.exemption.items import CatalogueItem
from hotline.i18n import N_, _

ART_36 = N_("《中华人民共和国行政处罚法》第三十六条")
ART_36_COUNTING = N_(
    "《中华人民共和国行政处罚法》第三十六条；《中华人民共和国民法典》第二百零一条、第二百零二条"
)
ART_33_1 = N_("《中华人民共和国行政处罚法》第三十三条第一款")
ART_33_2 = N_("《中华人民共和国行政处罚法》第三十三条第二款")


class Ground(StrEnum):
    """A legal ground for not punishing, in order of strength."""

    TIME_BARRED = "time_barred"
    NO_FAULT = "no_penalty_no_fault"
    MINOR = "no_penalty_minor"
    FIRST_OFFENSE = "no_penalty_first_offense"

    @property
    def mandatory(self) -> bool:
        return self is not Ground.FIRST_OFFENSE


class Outcome(StrEnum):
    TIME_BARRED = "time_barred"
    NO_PENALTY_NO_FAULT = "no_penalty_no_fault"
    NO_PENALTY_MINOR = "no_penalty_minor"
    NO_PENALTY_FIRST_OFFENSE = "no_penalty_first_offense"
    NEEDS_FACTS = "needs_facts"
    NOT_ELIGIBLE = "not_eligible"

    @property
    def label(self) -> str:
        return _(_OUTCOME_LABELS[self.value])

    @property
    def exempt(self) -> bool:
        """Whether the outcome is that the enterprise is not (or may not be) punished."""
        return self not in (Outcome.NEEDS_FACTS, Outcome.NOT_ELIGIBLE)

    @property
    def mandatory(self) -> bool:
        return self in (
            Outcome.TIME_BARRED,
            Outcome.NO_PENALTY_NO_FAULT,
            Outcome.NO_PENALTY_MINOR,
        )


_OUTCOME_LABELS = {
    "time_barred": N_("超过追责时效，不再给予行政处罚"),
    "no_penalty_no_fault": N_("没有主观过错，不予行政处罚"),
    "no_penalty_minor": N_("轻微并及时改正、没有危害后果，不予行政处罚"),
    "no_penalty_first_offense": N_("初次违法、危害后果轻微并及时改正，可以不予行政处罚"),
    "needs_facts": N_("需要补充事实"),
    "not_eligible": N_("不符合免罚条件"),
}

# Strength of each ground (lower is stronger), for the order of reasons.
GROUNDS = tuple(Ground)


@dataclass(frozen=True)
class Phrase:
    """A translatable message with its parameters, rendered in the active language."""

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return _(self.message).format(**self.params)

    def to_record(self) -> dict[str, Any]:
        return {"message": self.message, "params": dict(self.params)}

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> Phrase:
        return cls(str(data["message"]), dict(data.get("params") or {}))


@dataclass(frozen=True)
class Reason:
    """One reason of a decision: what was found, and the provision it rests on.

    ``causes`` (optional) are the particular facts behind it, shown after the main text.
    """

    ground: str
    phrase: Phrase
    basis: str
    causes: tuple[Phrase, ...] = ()

    @property
    def text(self) -> str:
        main = self.phrase.text
        if not self.causes:
            return _("{reason}。").format(reason=main)
        listed = _("；").join(cause.text for cause in self.causes)
        return _("{reason}：{causes}。").format(reason=main, causes=listed)

    @property
    def basis_text(self) -> str:
        return _(self.basis)

    def to_json(self) -> dict[str, str]:
        return {"ground": self.ground, "text": self.text, "basis": self.basis_text}

    def to_record(self) -> dict[str, Any]:
        return {
            "ground": self.ground,
            "phrase": self.phrase.to_record(),
            "basis": self.basis,
            "causes": [cause.to_record() for cause in self.causes],
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> Reason:
        return cls(
            ground=str(data["ground"]),
            phrase=Phrase.from_record(data["phrase"]),
            basis=str(data["basis"]),
            causes=tuple(Phrase.from_record(c) for c in data.get("causes") or ()),
        )


@dataclass(frozen=True)
class Missing:
    """A fact the decision needs: its key (``harm``, ``conditions.no_illegal_gain``) and label."""

    key: str
    label: Phrase

    @property
    def text(self) -> str:
        return self.label.text


@dataclass(frozen=True)
class Decision:
    """The outcome, whether it binds the authority, and every reason with its basis.

    ``missing`` lists the facts that would decide an undecided ground: for ``needs_facts``
    every such fact; for a discretionary exemption the facts that could make it mandatory;
    nothing for a mandatory one. ``failed_conditions`` are the ids of the item's conditions
    that are false. ``grounds`` holds each ground's state: True (holds), False (fails) or
    None (undecided). ``item_code`` and ``catalogue_version`` say which catalogue entry was
    applied, so a stored assessment keeps its meaning when a new catalogue comes.
    """

    outcome: Outcome
    mandatory: bool
    reasons: tuple[Reason, ...]
    missing: tuple[Missing, ...] = ()
    failed_conditions: tuple[str, ...] = ()
    first_offense_source: str | None = None
    grounds: Mapping[str, bool | None] = field(default_factory=dict)
    item_code: str | None = None
    catalogue_version: str | None = None
    decided_on: dt.date | None = None

    @property
    def exempt(self) -> bool:
        return self.outcome.exempt

    @property
    def discretionary(self) -> bool:
        return self.outcome.exempt and not self.mandatory

    def to_json(self) -> dict[str, Any]:
        """The decision as the command line prints it (texts in the active language)."""
        return {
            "outcome": self.outcome.value,
            "outcome_label": self.outcome.label,
            "mandatory": self.mandatory,
            "reasons": [reason.to_json() for reason in self.reasons],
            "missing": [m.key for m in self.missing],
            "missing_text": [m.text for m in self.missing],
            **self._basis(),
        }

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready form for storage that is rendered again in the reader's language."""
        return {
            "outcome": self.outcome.value,
            "mandatory": self.mandatory,
            "reasons": [reason.to_record() for reason in self.reasons],
            "missing": [{"key": m.key, **m.label.to_record()} for m in self.missing],
            **self._basis(),
        }

    def _basis(self) -> dict[str, Any]:
        """What the decision rested on, the same in both forms."""
        return {
            "failed_conditions": list(self.failed_conditions),
            "first_offense_source": self.first_offense_source,
            "grounds": dict(self.grounds),
            "item": self.item_code,
            "catalogue_version": self.catalogue_version,
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> Decision:
        decided = data.get("decided_on")
        return cls(
            outcome=Outcome(data["outcome"]),
            mandatory=bool(data["mandatory"]),
            reasons=tuple(Reason.from_record(r) for r in data.get("reasons") or ()),
            missing=tuple(
                Missing(str(m["key"]), Phrase.from_record(m)) for m in data.get("missing") or ()
            ),
            failed_conditions=tuple(data.get("failed_conditions") or ()),
            first_offense_source=data.get("first_offense_source"),
            grounds=dict(data.get("grounds") or {}),
            item_code=data.get("item"),
            catalogue_version=data.get("catalogue_version"),
            decided_on=dt.date.fromisoformat(decided) if decided else None,
        )


@dataclass
class GroundResult:
    """One ground's evaluation: its state, the reason to show, and the facts it lacks."""

    state: bool | None
    reason: Reason
    missing: list[str] = field(default_factory=list)


def all_of(states: Iterable[bool | None]) -> bool | None:
    """Three-valued AND: False if any is False, True if all are True, else None."""
    values = list(states)
    if any(v is False for v in values):
        return False
    if all(v is True for v in values):
        return True
    return None


def fact_phrase(key: str, item: CatalogueItem | None) -> Phrase:
    message, params = missing_label(key, item)
    return Phrase(message, params)
