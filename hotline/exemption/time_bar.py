"""The time bar ground (追责时效, 《行政处罚法》第三十六条) under unknown facts."""

from __future__ import annotations

import datetime as dt

from hotline.exemption.facts import Facts, Harm
from hotline.exemption.items import CatalogueItem
from hotline.exemption.outcome import ART_36, ART_36_COUNTING, Ground, GroundResult, Phrase, Reason
from hotline.exemption.periods import (
    YEARS_DEFAULT,
    YEARS_LIFE_HEALTH_FINANCE,
    is_barred,
    last_day,
)
from hotline.i18n import N_


def time_barred(facts: Facts, item: CatalogueItem | None) -> GroundResult:
    """Whether the act is time-barred: True, False, or None when unknown facts decide it.

    The period runs from ``act_end_date``; when only ``act_date`` is known the act may have
    continued, so the earliest possible start rules the time bar out but cannot grant it.
    The period is the item's own (a special law) or 2 years, 5 years when life, health or
    financial security is involved and harm is not ``none``. With either unknown, the bar
    holds only if even the 5-year period has run out, and fails only if even the 2-year
    period has not.
    """
    ground = Ground.TIME_BARRED.value
    start_min = facts.act_end_date or facts.act_date
    exact = facts.act_end_date
    found = facts.discovered_date
    if start_min is None or found is None:
        missing: list[str] = []
        if start_min is None:
            missing.append("act_date")
        if found is None:
            missing.append("discovered_date")
        phrase = Phrase(N_("缺少违法行为发生（终了）日期或者发现日期，未审查是否超过追责时效"))
        return GroundResult(None, Reason(ground, phrase, ART_36), missing)

    basis = ART_36_COUNTING
    harm, involved = facts.harm, facts.involves_life_health_or_financial_safety
    if item is not None and item.limitation_years:
        low = high = item.limitation_years
        basis = item.limitation_basis or basis
    else:
        longer = involved is True and harm in (Harm.MINOR, Harm.SERIOUS)
        shorter = involved is False or harm is Harm.NONE
        low = YEARS_LIFE_HEALTH_FINANCE if longer else YEARS_DEFAULT
        high = YEARS_DEFAULT if shorter else YEARS_LIFE_HEALTH_FINANCE

    def iso(value: dt.date | None) -> str:
        return value.isoformat() if value else "—"

    if not is_barred(start_min, low, found):
        phrase = Phrase(
            N_(
                "违法行为在追责期限内被发现（{years} 年期限至 {last_day} 届满，{discovered} 被发现），不适用追责时效"
            ),
            {"years": low, "last_day": iso(last_day(start_min, low)), "discovered": iso(found)},
        )
        return GroundResult(False, Reason(ground, phrase, basis))
    if exact is not None and is_barred(exact, high, found):
        params = {
            "start": exact.isoformat(),
            "years": high,
            "last_day": iso(last_day(exact, high)),
            "discovered": found.isoformat(),
        }
        if exact == facts.act_date:
            message = N_(
                "违法行为发生于 {start}，{years} 年追责期限至 {last_day} 届满，"
                "{discovered} 才被发现，不再给予行政处罚（羁束，应当不予处罚）"
            )
        else:
            message = N_(
                "违法行为有连续或者继续状态的，期限自行为终了之日起计算：违法行为于 {start} 终了，"
                "{years} 年追责期限至 {last_day} 届满，{discovered} 才被发现，"
                "不再给予行政处罚（羁束，应当不予处罚）"
            )
        return GroundResult(True, Reason(ground, Phrase(message, params), basis))

    missing = []
    start = exact or start_min
    if exact is None:
        missing.append("act_end_date")
        phrase = Phrase(
            N_(
                "若违法行为没有连续或者继续状态，{years} 年追责期限已于 {last_day} 届满；需查明违法行为终了日期"
            ),
            {"years": low, "last_day": iso(last_day(start_min, low))},
        )
    else:
        phrase = Phrase(
            N_(
                "发现时已超过 {low} 年期限（至 {low_day}），但未超过 {high} 年期限（至 {high_day}）；需查明是否涉及公民生命健康安全、金融安全且有危害后果"
            ),
            {
                "low": low,
                "low_day": iso(last_day(start, low)),
                "high": high,
                "high_day": iso(last_day(start, high)),
            },
        )
    if low != high and not is_barred(start, high, found):
        if involved is None:
            missing.append("involves_life_health_or_financial_safety")
        if harm is None:
            missing.append("harm")
    return GroundResult(None, Reason(ground, phrase, basis), missing)
