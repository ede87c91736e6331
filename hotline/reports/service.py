"""Making the reports for someone: the permission check, the output file, the audit entry.

The command line (``report case`` / ``report weekly|monthly|quarterly|annual|period``), the
app's preview and the statistics window call these functions; the renderers in :mod:`.case_pdf` and :mod:`.weekly_pdf` know nothing of users
or files.

- Both need ``Action.REPORT_VIEW``. Internal notes may be printed only for a role that sees
  the case window (``Action.CASE_VIEW``); the copy without them is the one to give to the
  enterprise. A confidential contact is masked in every PDF, whoever prints it.
- The file is written by :func:`hotline.output_files.replacing`: never over the database,
  complete or not at all, owner-only; a scheduled job never leaves half a PDF behind.
  ``out`` may be a folder: the file then gets its default name there (``case-YS20261116-0007.pdf``, ``weekly-2026-W47.pdf``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from hotline import audit, clock
from hotline.db import write_transaction
from hotline.output_files import output_path, replacing
from hotline.permissions import Action, Actor, shown_name
from hotline.reports.data import PeriodReport
from hotline.reports.fonts import FontSet
from hotline.reports.periods import WEEK, Period
from hotline.reports.weeks import IsoWeek

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfMade:
    """A PDF that was written: where, how many pages and bytes, how many cases it lists."""

    path: Path
    pages: int
    size: int
    cases: int

    def as_dict(self) -> dict[str, object]:
        return {"file": str(self.path), "pages": self.pages, "bytes": self.size}


def case_file_name(case_no: str) -> str:
    return "case-" + re.sub(r"[^0-9A-Za-z._-]+", "_", case_no.strip()) + ".pdf"


def weekly_file_name(week: IsoWeek) -> str:
    return f"weekly-{week.code}.pdf"


def period_file_name(period: Period) -> str:
    """``weekly-2026-W47.pdf``, ``monthly-2026-11.pdf``, ``quarterly-2026Q3.pdf``,
    ``annual-2026.pdf``, ``period-20261101-20261115.pdf``."""
    return period.file_stem() + ".pdf"


def statistics_file_name(period: Period) -> str:
    return "statistics-" + period.file_stem().split("-", 1)[1] + ".xlsx"


def may_include_internal(actor: Actor) -> bool:
    """Whether ``actor`` may print internal notes (whoever may open the case window)."""
    return actor.can(Action.CASE_VIEW)


def make_case_pdf(
    actor: Actor,
    case_no: str,
    out: str | os.PathLike[str],
    *,
    include_internal: bool = True,
    fonts: FontSet | None = None,
    printed_at: dt.datetime | None = None,
) -> PdfMade:
    """Write the summary PDF of case ``case_no`` to ``out`` (a file, or a folder for the
    default name). Raises :class:`NotFound` for an unknown case, :class:`PermissionDenied`,
    and :class:`HotlineError` when the file cannot be written."""
    from hotline.reports.case_data import load_case_summary
    from hotline.reports.case_pdf import render_case_summary

    actor.require(Action.REPORT_VIEW)
    if include_internal:
        actor.require(Action.CASE_VIEW)
    summary = load_case_summary(case_no)
    path = output_path(out, case_file_name(summary.case_no))
    with replacing(path) as handle:
        render_case_summary(
            summary,
            handle,
            include_internal=include_internal,
            printed_by=shown_name(actor.name),
            printed_at=printed_at or clock.now(),
            fonts=fonts,
        )
    made = _made(path, cases=1)
    with write_transaction():
        audit.record(
            actor,
            "report.case_pdf",
            "case",
            summary.case_no,
            {"internal": include_internal, "pages": made.pages},
        )
    log.info("case summary %s written to %s (%s pages)", summary.case_no, path, made.pages)
    return made


def make_weekly_pdf(
    actor: Actor,
    week: IsoWeek | None,
    out: str | os.PathLike[str],
    *,
    with_cases: bool = False,
    include_internal: bool = True,
    fonts: FontSet | None = None,
    generated_at: dt.datetime | None = None,
) -> PdfMade:
    """Write the weekly report of ``week`` (default: the last complete week) to ``out``;
    ``with_cases`` appends every case's summary (with internal notes unless
    ``include_internal`` is False)."""
    from hotline.reports.gather import default_week

    return make_period_pdf(
        actor,
        Period.week(week or default_week()),
        out,
        with_cases=with_cases,
        include_internal=include_internal,
        fonts=fonts,
        generated_at=generated_at,
    )


def make_period_pdf(
    actor: Actor,
    period: Period,
    out: str | os.PathLike[str],
    *,
    with_list: bool | None = None,
    with_cases: bool = False,
    include_internal: bool = True,
    fonts: FontSet | None = None,
    generated_at: dt.datetime | None = None,
) -> PdfMade:
    """Write the report of ``period`` (a week, month, quarter, year or any dates) to ``out``.

    ``with_list``: list every case received (default: in a weekly report only);
    ``with_cases`` appends every case's summary (with internal notes unless
    ``include_internal`` is False)."""
    from hotline.reports.gather import gather_period
    from hotline.reports.weekly_pdf import render_period_report

    actor.require(Action.REPORT_VIEW)
    if with_cases and include_internal:
        actor.require(Action.CASE_VIEW)
    path = output_path(out, period_file_name(period))
    with replacing(path) as handle:
        report = gather_period(period, with_list=with_list, with_summaries=with_cases)
        render_period_report(
            report,
            handle,
            generated_at=generated_at or clock.now(),
            generated_by=shown_name(actor.name),
            fonts=fonts,
            summaries_include_internal=include_internal,
        )
    made = _made(path, cases=report.received_total)
    action = "report.weekly_pdf" if period.kind == WEEK else "report.period_pdf"
    with write_transaction():
        audit.record(
            actor,
            action,
            "report",
            period.code,
            {"with_cases": with_cases, "cases": made.cases, "pages": made.pages},
        )
    log.info("report %s written to %s (%s pages)", period.code, path, made.pages)
    return made


def gather_statistics(actor: Actor, period: Period) -> PeriodReport:
    """The figures of ``period`` for the statistics window (no list of cases: each figure
    lists its own, :meth:`PeriodReport.case_ids`)."""
    from hotline.reports.gather import gather_period

    actor.require(Action.REPORT_VIEW)
    return gather_period(period, with_list=False)


def export_statistics_xlsx(actor: Actor, report: PeriodReport, out: str | os.PathLike[str]) -> Path:
    """Write the statistics tables of ``report`` to an XLSX workbook (a file, or a folder for
    the default name ``statistics-2026-11.xlsx``); audited."""
    from hotline.reports.xlsx import write_statistics

    actor.require(Action.REPORT_VIEW)
    path = output_path(out, statistics_file_name(report.period))
    with replacing(path) as handle:
        write_statistics(report, handle)
    with write_transaction():
        audit.record(actor, "report.statistics_xlsx", "report", report.period.code, {})
    log.info("statistics %s written to %s", report.period.code, path)
    return path


def _made(path: Path, *, cases: int) -> PdfMade:
    return PdfMade(path=path, pages=count_pages(path), size=path.stat().st_size, cases=cases)


def count_pages(path: str | os.PathLike[str]) -> int:
    """The page count of a PDF (read from its page tree, not by parsing every page)."""
    from pypdf import PdfReader

    return len(PdfReader(os.fspath(path)).pages)
