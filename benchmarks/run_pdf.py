"""The PDFs' figures, each beside a plain reportlab document with the same text, same run.

    .venv/bin/python benchmarks/run_pdf.py [--week-cases 5000] [--background 12000]
        [--runs 30] [--weekly-runs 3] [--seed 1] [--cid] [--json results.json]

Builds a new SQLite database in a temporary folder: ``--background`` demo cases over two
years (hotline.demo.generator, with full timelines), then copies of demo cases moved by whole
weeks into one week (26 weeks ago) until it holds exactly ``--week-cases`` received cases, their
timelines with them. Then, in this one warm process:

- the case summary PDF (the week's case with the longest timeline) through
  ``service.make_case_pdf``: read, render, write the file, audit entry; median of ``--runs``
  after 3 warm-up runs (also: reading and rendering alone);
- the weekly report of that week (KPIs, charts, department table, the list of every case;
  summaries not appended) through ``service.make_weekly_pdf``; median of ``--weekly-runs``
  after one warm-up (also: gathering and rendering alone);
- beside each, two raw baselines with the text of the PDF just made (pypdf's extraction,
  line by line) and the same font: plain paragraphs in a ``SimpleDocTemplate``, and
  ``drawString`` on a bare canvas (the floor: no layout at all).

Each figure is wall-clock time, with the CPU time of this process beside it (on a machine
busy with other work the wall clock grows, the CPU time much less). Prints a table, then
JSON. Targets (issue 5, 2 cores, wall clock): case < 150 ms, weekly < 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HOTLINE_HOME", tempfile.mkdtemp(prefix="hotline-bench-home-"))

from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from hotline import clock, db  # noqa: E402
from hotline.db import write_transaction  # noqa: E402
from hotline.demo import generator  # noqa: E402
from hotline.models import Case, CaseEvent  # noqa: E402
from hotline.permissions import Actor  # noqa: E402
from hotline.reports import case_data, gather, service  # noqa: E402
from hotline.reports.case_pdf import render_case_summary  # noqa: E402
from hotline.reports.fonts import FontSet, register_fonts  # noqa: E402
from hotline.reports.weekly_pdf import render_weekly_report  # noqa: E402
from hotline.reports.weeks import IsoWeek  # noqa: E402

Result = dict[str, Any]
CASE_TARGET_MS = 150
WEEKLY_TARGET_MS = 5000
SHIFTED = (
    "received_at",
    "registered_at",
    "dispatched_at",
    "deadline",
    "ceiling",
    "extension_until",
    "handled_at",
    "callback_at",
    "closed_at",
    "updated_at",
)


Sample = tuple[float, float]  # wall-clock ms, CPU ms of this process


def timed(fn: Callable[[], object], repeat: int) -> list[Sample]:
    """Wall-clock and CPU milliseconds of each of ``repeat`` calls (CPU time shows the cost
    even when other programs compete for the cores)."""
    samples = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return samples


def summary(samples: list[Sample]) -> dict[str, float]:
    walls = [wall for wall, _cpu in samples]
    return {
        "median_ms": round(statistics.median(walls), 2),
        "min_ms": round(min(walls), 2),
        "max_ms": round(max(walls), 2),
        "cpu_median_ms": round(statistics.median(cpu for _wall, cpu in samples), 2),
        "n": len(samples),
    }


# --- the data -----------------------------------------------------------------------------


def fill_week(week: IsoWeek, wanted: int, seed: int) -> int:
    """Copy demo cases (and their timelines) into ``week``, moved by whole weeks so weekdays,
    times of day and working-day deadlines keep their shape, until ``wanted`` are received
    in it. Returns how many were added."""
    inside = (Case.received_at >= week.start) & (Case.received_at < week.end)
    missing = wanted - Case.select().where(inside).count()
    if missing <= 0:
        return 0
    sources = list(Case.select().where(~inside).dicts())
    rng = random.Random(seed)
    picked = [rng.choice(sources) for _ in range(missing)]
    picked.sort(key=lambda row: (row["received_at"].weekday(), row["received_at"].time()))
    events: dict[int, list[dict[str, Any]]] = {}
    for chunk in _chunks([row["id"] for row in picked], 500):
        for event in CaseEvent.select().where(CaseEvent.case.in_(chunk)).dicts():
            events.setdefault(event["case"], []).append(event)
    added = 0
    with write_transaction():
        for number, chunk in enumerate(_chunks(picked, 500)):
            rows, copies = [], []
            for position, source in enumerate(chunk):
                shift = week.monday - IsoWeek.containing(source["received_at"].date()).monday
                row = {k: v for k, v in source.items() if k != "id"}
                for column in SHIFTED:
                    if row.get(column) is not None:
                        row[column] = row[column] + shift
                row["case_no"] = f"BM{row['received_at']:%Y%m%d}-{number * 500 + position:05d}"
                rows.append(row)
                copies.append((row["case_no"], source["id"], shift))
            Case.insert_many(rows).execute()
            ids = dict(
                Case.select(Case.case_no, Case.id)
                .where(Case.case_no.in_([c[0] for c in copies]))
                .tuples()
            )
            new_events = []
            for case_no, source_id, shift in copies:
                for event in events.get(source_id, []):
                    copy = {k: v for k, v in event.items() if k != "id"}
                    copy["case"], copy["at"] = ids[case_no], event["at"] + shift
                    new_events.append(copy)
            for part in _chunks(new_events, 500):
                CaseEvent.insert_many(part).execute()
            added += len(rows)
    return added


def _chunks(values: list[Any], size: int) -> list[list[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def busiest_case(week: IsoWeek) -> str:
    """The week's case with the longest timeline (the heaviest ordinary summary)."""
    from peewee import fn

    row = (
        Case.select(Case.case_no, fn.COUNT(CaseEvent.id).alias("n"))
        .join(CaseEvent, on=(CaseEvent.case == Case.id))
        .where((Case.received_at >= week.start) & (Case.received_at < week.end))
        .group_by(Case.id)
        .order_by(fn.COUNT(CaseEvent.id).desc(), Case.id)
        .first()
    )
    return row.case_no


# --- the baseline -------------------------------------------------------------------------


def pdf_lines(data: bytes) -> list[str]:
    lines: list[str] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        lines += [line for line in (page.extract_text() or "").splitlines() if line.strip()]
    return lines


def raw_canvas(lines: list[str], fonts: FontSet) -> bytes:
    """The floor: the same text drawn line by line on a canvas, 60 characters a line."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    height = A4[1]
    y = height - 20 * mm
    canvas.setFont(fonts.regular, 9)
    for line in lines:
        for start in range(0, len(line), 60):
            if y < 20 * mm:
                canvas.showPage()
                canvas.setFont(fonts.regular, 9)
                y = height - 20 * mm
            canvas.drawString(18 * mm, y, line[start : start + 60])
            y -= 12
    canvas.save()
    return out.getvalue()


def plain_document(lines: list[str], fonts: FontSet) -> bytes:
    """The raw cost of the same text: one paragraph per line, no tables, no graphics."""
    style = ParagraphStyle("plain", fontName=fonts.regular, fontSize=9, leading=12)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm)
    doc.build([Paragraph(escape(line), style) for line in lines])
    return out.getvalue()


# --- measuring ----------------------------------------------------------------------------


def measure_case(case_no: str, actor: Actor, fonts: FontSet, work: Path, runs: int) -> Result:
    path = work / "case.pdf"

    def make() -> None:
        service.make_case_pdf(actor, case_no, path, fonts=fonts)

    timed(make, 3)
    full = timed(make, runs)
    loaded = case_data.load_case_summary(case_no)
    load = timed(lambda: case_data.load_case_summary(case_no), runs)
    render = timed(lambda: render_case_summary(loaded, io.BytesIO(), fonts=fonts), runs)
    data = path.read_bytes()
    lines = pdf_lines(data)
    timed(lambda: plain_document(lines, fonts), 3)
    baseline = timed(lambda: plain_document(lines, fonts), runs)
    floor = timed(lambda: raw_canvas(lines, fonts), runs)
    return {
        "case_no": case_no,
        "events": len(loaded.timeline),
        "pages": service.count_pages(path),
        "bytes": len(data),
        "make_case_pdf": summary(full),
        "load": summary(load),
        "render": summary(render),
        "baseline_plain": summary(baseline),
        "baseline_canvas": summary(floor),
        "text_chars": sum(len(line) for line in lines),
    }


def measure_weekly(week: IsoWeek, actor: Actor, fonts: FontSet, work: Path, runs: int) -> Result:
    path = work / "weekly.pdf"

    def make() -> service.PdfMade:
        return service.make_weekly_pdf(actor, week, path, fonts=fonts)

    made = make()
    full = timed(make, runs)
    report = gather.gather_weekly(week)
    gathering = timed(lambda: gather.gather_weekly(week), runs)
    render = timed(lambda: render_weekly_report(report, io.BytesIO(), fonts=fonts), runs)
    lines = pdf_lines(path.read_bytes())
    baseline = timed(lambda: plain_document(lines, fonts), runs)
    floor = timed(lambda: raw_canvas(lines, fonts), runs)
    return {
        "week": week.code,
        "cases_listed": made.cases,
        "pages": made.pages,
        "bytes": made.size,
        "make_weekly_pdf": summary(full),
        "gather": summary(gathering),
        "render": summary(render),
        "baseline_plain": summary(baseline),
        "baseline_canvas": summary(floor),
        "text_chars": sum(len(line) for line in lines),
    }


def table(result: Result) -> str:
    c, w = result["case"], result["weekly"]
    lines = [
        "| what | median (min–max, n) | CPU median | raw baseline, same text: plain "
        "paragraphs; drawString lines (CPU) | target | met |",
        "|---|---|---|---|---|---|",
    ]

    def row(label: str, figures: dict[str, float], part: Result, target: float) -> str:
        met = "yes" if figures["median_ms"] < target else "no"
        plain = part["baseline_plain"]["cpu_median_ms"]
        floor = part["baseline_canvas"]["cpu_median_ms"]
        return (
            f"| {label} | {figures['median_ms']:,.1f} ms ({figures['min_ms']:,.1f}–"
            f"{figures['max_ms']:,.1f}, {figures['n']}) | {figures['cpu_median_ms']:,.1f} ms "
            f"| {plain:,.1f} ms; {floor:,.1f} ms | < {target:,} ms | {met} |"
        )

    lines.append(
        row(
            f"case summary PDF, {c['case_no']} ({c['events']} events, {c['pages']} pages)",
            c["make_case_pdf"],
            c,
            CASE_TARGET_MS,
        )
    )
    lines.append(
        f"| … of which: read the case / render | {c['load']['median_ms']:.1f} ms / "
        f"{c['render']['median_ms']:.1f} ms | {c['load']['cpu_median_ms']:.1f} ms / "
        f"{c['render']['cpu_median_ms']:.1f} ms | | | |"
    )
    lines.append(
        row(
            f"weekly report {w['week']}, {w['cases_listed']:,} cases listed ({w['pages']} pages)",
            w["make_weekly_pdf"],
            w,
            WEEKLY_TARGET_MS,
        )
    )
    lines.append(
        f"| … of which: gather the figures / render | {w['gather']['median_ms']:,.0f} ms / "
        f"{w['render']['median_ms']:,.0f} ms | {w['gather']['cpu_median_ms']:,.0f} ms / "
        f"{w['render']['cpu_median_ms']:,.0f} ms | | | |"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week-cases", type=int, default=5000)
    parser.add_argument("--background", type=int, default=12_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--weekly-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cid", action="store_true", help="use the built-in CID font")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hotline-bench-pdf-"))
    db.open_database(work / "bench.sqlite3")
    start = time.perf_counter()
    generator.generate(args.background, args.seed)
    week = IsoWeek.containing(clock.today() - dt.timedelta(weeks=26))
    added = fill_week(week, args.week_cases, args.seed)
    built = round(time.perf_counter() - start, 1)
    print(f"built in {built} s: {args.background:,} demo cases + {added:,} copied into {week}")
    fonts = register_fonts(force_cid=args.cid)
    actor = Actor.command_line("benchmark")
    result: Result = {
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "font": fonts.path or fonts.regular,
        "embedded_font": fonts.embedded,
        "build_s": built,
        "case": measure_case(busiest_case(week), actor, fonts, work, args.runs),
        "weekly": measure_weekly(week, actor, fonts, work, args.weekly_runs),
    }
    db.close()
    print(table(result))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
