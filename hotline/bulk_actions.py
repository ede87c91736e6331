"""Acting on several cases chosen in a list: dispatch them to one department, print their
summaries. Each case goes through the same service call as in its own window (permission,
state, version check, timeline, audit), in its own transaction: one that cannot be done
(already dispatched, changed meanwhile) is reported and the others go on.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from hotline import cohandling, workflow
from hotline.bulk_records import BulkResult, ChosenCase
from hotline.errors import HotlineError, ValidationError
from hotline.i18n import _, format_date
from hotline.permissions import Action, Actor

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def problem_text(exc: HotlineError) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(problem.text for problem in exc.problems)
    return exc.text


def dispatch_many(
    actor: Actor,
    chosen: Sequence[ChosenCase],
    department_id: int,
    *,
    note: str = "",
    assisting: Sequence[int] = (),
    assist_workdays: int = cohandling.DEFAULT_WORKDAYS,
    progress: Progress | None = None,
) -> list[BulkResult]:
    """Dispatch each case to ``department_id``, with the assisting departments (会办) and
    their working days as a single dispatch takes them; one result per case, in the given
    order. A lead or assisting departments no case could take are refused before any."""
    actor.require(Action.CASE_DISPATCH)
    workflow.check_assisting(department_id, assisting, assist_workdays)
    results = []
    for number, case in enumerate(chosen, start=1):
        try:
            done = workflow.dispatch(
                actor,
                case.id,
                department_id,
                note=note,
                assisting=assisting,
                assist_workdays=assist_workdays,
                expected_version=case.version,
            )
        except HotlineError as exc:
            results.append(BulkResult(case.case_no, False, problem_text(exc)))
        else:
            text = _("已派单，办理期限 {deadline}").format(deadline=format_date(done.deadline))
            if assisting:
                parts = cohandling.case_parts(done.id)
                text = _("已派单，办理期限 {deadline}；会办 {count} 个单位，{date} 前答复").format(
                    deadline=format_date(done.deadline),
                    count=len(parts),
                    date=format_date(parts[0].deadline) if parts else "",
                )
            results.append(BulkResult(case.case_no, True, text))
        if progress:
            progress(number, len(chosen))
    log.info("dispatched %s of %s chosen cases", sum(r.ok for r in results), len(chosen))
    return results


def print_summaries(
    actor: Actor,
    case_nos: Sequence[str],
    out: str | os.PathLike[str],
    *,
    one_file: bool,
    include_internal: bool = True,
    progress: Progress | None = None,
) -> list[BulkResult]:
    """The summary PDFs of these cases: merged into the file ``out`` (``one_file``), or one
    file each in the folder ``out``. Each is made and audited as a single case's would be."""
    from hotline.reports import service

    if not one_file:
        results = []
        for number, case_no in enumerate(case_nos, start=1):
            try:
                made = service.make_case_pdf(actor, case_no, out, include_internal=include_internal)
            except HotlineError as exc:
                results.append(BulkResult(case_no, False, problem_text(exc)))
            else:
                results.append(BulkResult(case_no, True, str(made.path)))
            if progress:
                progress(number, len(case_nos))
        return results
    return _merged(actor, case_nos, Path(out), include_internal, progress)


def _merged(
    actor: Actor,
    case_nos: Sequence[str],
    path: Path,
    include_internal: bool,
    progress: Progress | None,
) -> list[BulkResult]:
    """Each case's PDF made in memory (its own header and page numbers), then one file."""
    from pypdf import PdfReader, PdfWriter

    from hotline import audit, clock
    from hotline.db import write_transaction
    from hotline.output_files import replacing
    from hotline.permissions import shown_name
    from hotline.reports.case_data import load_case_summary
    from hotline.reports.case_pdf import render_case_summary
    from hotline.reports.fonts import register_fonts

    actor.require(Action.REPORT_VIEW)
    if include_internal:
        actor.require(Action.CASE_VIEW)
    fonts = register_fonts()
    writer = PdfWriter()
    results = []
    printed_at = clock.now()
    for number, case_no in enumerate(case_nos, start=1):
        try:
            summary = load_case_summary(case_no)
        except HotlineError as exc:
            results.append(BulkResult(case_no, False, problem_text(exc)))
        else:
            buffer = io.BytesIO()
            render_case_summary(
                summary,
                buffer,
                include_internal=include_internal,
                printed_by=shown_name(actor.name),
                printed_at=printed_at,
                fonts=fonts,
            )
            buffer.seek(0)
            reader = PdfReader(buffer)
            writer.append(reader, outline_item=summary.case_no)
            pages = len(reader.pages)
            results.append(BulkResult(case_no, True, _("{pages} 页").format(pages=pages)))
        if progress:
            progress(number, len(case_nos))
    printed = [r.case_no for r in results if r.ok]
    if printed:
        with replacing(path) as handle:
            writer.write(handle)
        with write_transaction():
            audit.record(
                actor,
                "report.case_pdf",
                "case",
                ",".join(printed)[:40],
                {"internal": include_internal, "cases": printed, "file": path.name},
            )
    return results
