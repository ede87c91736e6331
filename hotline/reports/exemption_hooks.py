"""Where the exemption checklist plugs into the reports once its tables exist.

Until it installs its readers with :func:`set_exemption_hooks`, the weekly report counts no
assessments and case summaries have no exemption section.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hotline.reports.data import ExemptionSummary

ExemptionCounter = Callable[[dt.datetime, dt.datetime], dict[str, int]]
ExemptionLoader = Callable[[int], ExemptionSummary | None]
_exemption_counter: ExemptionCounter | None = None
_exemption_loader: ExemptionLoader | None = None


def set_exemption_hooks(
    counter: ExemptionCounter | None = None, loader: ExemptionLoader | None = None
) -> None:
    """Install the exemption checklist's readers: ``counter(start, end)`` -> {outcome label:
    count} of assessments made in ``start <= t < end``; ``loader(case_id)`` -> the case's
    latest assessment or None."""
    global _exemption_counter, _exemption_loader
    _exemption_counter, _exemption_loader = counter, loader


def exemption_counts(start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    return _exemption_counter(start, end) if _exemption_counter else {}


def exemption_summary(case_id: int) -> ExemptionSummary | None:
    return _exemption_loader(case_id) if _exemption_loader else None
