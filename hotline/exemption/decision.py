"""The legal decision: from the facts of a case to an outcome with its reasons.

:func:`decide` is a pure function (no database, no clock unless ``today`` is left out, no
Qt). The grounds, from the strongest:

``time_barred``
    《行政处罚法》第三十六条: not discovered within 2 years (5 years where life, health or
    financial security is involved and harm is not ``none``; a special law may fix another
    period, see ``CatalogueItem.limitation_years``), counted from the day after the act or
    after its end. Mandatory.
``no_penalty_no_fault``
    第三十三条第二款: evidence sufficient to prove no subjective fault. Mandatory, and it
    holds whatever else is known (whether the act was minor, corrected or harmful).
``no_penalty_minor``
    第三十三条第一款第一句: minor, corrected in time, no harmful consequences. Mandatory.
``no_penalty_first_offense``
    第三十三条第一款第二句: first offense, harm none or minor, corrected in time.
    Discretionary: the authority *may* refrain from punishing.

An item condition that is false makes both Art. 33 ¶1 grounds fail; one that is unknown
leaves them undecided. Unknown facts are treated three-valued: a ground holds only if it
holds whatever the unknown facts turn out to be, fails only if it fails whatever they turn
out to be, and is undecided otherwise. Hence learning a fact never takes away an exemption
already granted, nor turns a mandatory one into a discretionary one.

The outcome is the strongest ground that holds; otherwise ``needs_facts`` (with the facts
that would decide an undecided ground) if some ground is undecided; otherwise
``not_eligible`` (with every item condition that failed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from hotline import clock
from hotline.exemption.facts import Facts, Harm, parse_facts
from hotline.exemption.items import CatalogueItem
from hotline.exemption.outcome import (
    ART_33_1,
    ART_33_2,
    GROUNDS,
    Decision,
    Ground,
    GroundResult,
    Missing,
    Outcome,
    Phrase,
    Reason,
    all_of,
    fact_phrase,
)
from hotline.exemption.time_bar import time_barred
from hotline.i18n import N_

__all__ = [
    "GROUNDS",
    "Decision",
    "Facts",
    "Ground",
    "Missing",
    "Outcome",
    "Phrase",
    "Reason",
    "decide",
    "parse_facts",
]


def _no_fault(facts: Facts) -> GroundResult:
    ground = Ground.NO_FAULT.value
    if facts.no_fault_proven is True:
        phrase = Phrase(
            N_(
                "当事人有证据足以证明没有主观过错，不予行政处罚（羁束，应当不予处罚；法律、行政法规另有规定的除外）"
            )
        )
        return GroundResult(True, Reason(ground, phrase, ART_33_2))
    if facts.no_fault_proven is False:
        phrase = Phrase(N_("没有证据足以证明当事人没有主观过错"))
        return GroundResult(False, Reason(ground, phrase, ART_33_2))
    phrase = Phrase(N_("尚未查明当事人有无证据足以证明没有主观过错"))
    return GroundResult(None, Reason(ground, phrase, ART_33_2), ["no_fault_proven"])


def _conditions(facts: Facts, item: CatalogueItem | None) -> list[tuple[str, bool | None, Phrase]]:
    """Each item condition as (fact key, state, cause phrase when false)."""
    if item is None:
        return []
    atoms = []
    for condition in item.conditions:
        state = facts.conditions.get(condition.id)
        cause = Phrase(N_("不符合适用条件：{condition}"), {"condition": condition.text})
        atoms.append((f"conditions.{condition.id}", state, cause))
    return atoms


def _art_33_1(
    ground: Ground,
    atoms: list[tuple[str, bool | None, Phrase]],
    holds: Phrase,
    fails: Phrase,
    undecided: Phrase,
    item: CatalogueItem | None,
) -> GroundResult:
    state = all_of(a[1] for a in atoms)
    if state is True:
        return GroundResult(True, Reason(ground.value, holds, ART_33_1))
    if state is False:
        causes = tuple(cause for _k, s, cause in atoms if s is False)
        return GroundResult(False, Reason(ground.value, fails, ART_33_1, causes))
    missing = [key for key, s, _c in atoms if s is None]
    causes = tuple(fact_phrase(key, item) for key in missing)
    return GroundResult(None, Reason(ground.value, undecided, ART_33_1, causes), missing)


def _minor(facts: Facts, item: CatalogueItem | None) -> GroundResult:
    minor = True if item is not None else facts.minor
    harm_none = None if facts.harm is None else facts.harm is Harm.NONE
    atoms: list[tuple[str, bool | None, Phrase]] = [
        ("minor", minor, Phrase(N_("违法行为不属于轻微"))),
        ("corrected", facts.corrected, Phrase(N_("违法行为没有及时改正"))),
        ("harm", harm_none, Phrase(N_("造成了危害后果"))),
        *_conditions(facts, item),
    ]
    return _art_33_1(
        Ground.MINOR,
        atoms,
        Phrase(N_("违法行为轻微并及时改正，没有造成危害后果，不予行政处罚（羁束，应当不予处罚）")),
        Phrase(N_("不适用“违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚”")),
        Phrase(N_("能否适用“轻微不罚”尚待查明，需要")),
        item,
    )


def _first_offense(facts: Facts, item: CatalogueItem | None) -> GroundResult:
    harm_ok = None if facts.harm is None else facts.harm is not Harm.SERIOUS
    if facts.first_offense_source:
        not_first = Phrase(
            N_("不是初次违法（此前记录：{source}）"), {"source": facts.first_offense_source}
        )
    else:
        not_first = Phrase(N_("不是初次违法"))
    atoms: list[tuple[str, bool | None, Phrase]] = [
        ("first_offense", facts.first_offense, not_first),
        ("corrected", facts.corrected, Phrase(N_("违法行为没有及时改正"))),
        ("harm", harm_ok, Phrase(N_("危害后果较重，不属于轻微"))),
        *_conditions(facts, item),
    ]
    return _art_33_1(
        Ground.FIRST_OFFENSE,
        atoms,
        Phrase(N_("初次违法且危害后果轻微并及时改正，可以不予行政处罚（裁量，由执法机关决定）")),
        Phrase(N_("不适用“初次违法且危害后果轻微并及时改正的，可以不予行政处罚”")),
        Phrase(N_("能否适用“首错免罚”尚待查明，需要")),
        item,
    )


def _unique(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def decide(facts: Facts, item: CatalogueItem | None, *, today: dt.date | None = None) -> Decision:
    """The decision for ``facts`` under catalogue ``item`` (None: no listed item applies).

    Never raises for any combination of facts, known or not (unvalidated dates included;
    use :func:`parse_facts` to refuse contradictory input). Edge cases:

    * ``no_fault_proven=True`` gives the mandatory ``no_penalty_no_fault`` whatever the
      act's gravity, harm or correction; only an undiscovered act (time bar) is stronger.
    * With an item, the act counts as minor (every listed item is a minor violation);
      without one, ``minor`` must be known for ``no_penalty_minor``.
    * ``harm="minor"`` rules out ``no_penalty_minor`` but not ``no_penalty_first_offense``.
    * An item condition that is false fails both Art. 33 ¶1 grounds, but not the time bar
      nor ``no_penalty_no_fault``.
    * Time bar: without a discovery date, or without any act date, it is not assessed and a
      reason says so. With ``act_date`` but no ``act_end_date`` it can only be ruled out
      (when even a one-off act would have been discovered in time), never granted, since the
      act may have continued. With unknown harm or unknown involvement of life, health or
      financial security it holds only when the 5-year period has run out as well.
    * ``facts.first_offense_source`` is repeated in the reasons and in the decision.

    ``item`` must be the catalogue entry named by ``facts.item`` (the caller resolves it);
    a mismatch is a programming error and raises ValueError. ``today`` stamps the decision
    (default: China today).
    """
    if facts.item is not None and (item is None or item.code != facts.item):
        raise ValueError(f"facts name item {facts.item!r} but {item!r} was given")
    results = {
        Ground.TIME_BARRED: time_barred(facts, item),
        Ground.NO_FAULT: _no_fault(facts),
        Ground.MINOR: _minor(facts, item),
        Ground.FIRST_OFFENSE: _first_offense(facts, item),
    }
    granted = next((g for g in GROUNDS if results[g].state is True), None)
    if granted is not None:
        outcome = Outcome(granted.value)
        stronger_undecided = [
            g for g in GROUNDS[: GROUNDS.index(granted)] if results[g].state is None
        ]
        missing_keys = (
            [] if granted.mandatory else [k for g in stronger_undecided for k in results[g].missing]
        )
        order = [granted, *(g for g in GROUNDS if g is not granted)]
    else:
        undecided = [g for g in GROUNDS if results[g].state is None]
        outcome = Outcome.NEEDS_FACTS if undecided else Outcome.NOT_ELIGIBLE
        missing_keys = [k for g in undecided for k in results[g].missing]
        order = list(GROUNDS)

    reasons = [results[g].reason for g in order]
    if facts.first_offense_source and facts.first_offense is not False:
        reasons.append(
            Reason(
                Ground.FIRST_OFFENSE.value,
                Phrase(N_("初次违法的认定依据：{source}"), {"source": facts.first_offense_source}),
                ART_33_1,
            )
        )
    failed = tuple(
        condition.id
        for condition in (item.conditions if item else ())
        if facts.conditions.get(condition.id) is False
    )
    return Decision(
        outcome=outcome,
        mandatory=outcome.mandatory,
        reasons=tuple(reasons),
        missing=tuple(Missing(key, fact_phrase(key, item)) for key in _unique(missing_keys)),
        failed_conditions=failed,
        first_offense_source=facts.first_offense_source,
        grounds={g.value: results[g].state for g in GROUNDS},
        item_code=item.code if item else None,
        catalogue_version=(item.catalogue_version or None) if item else None,
        decided_on=today or clock.today(),
    )
