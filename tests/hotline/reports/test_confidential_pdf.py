"""Every PDF masks a confidential caller wherever the name or phone was written (issue 12,
class 5): the case summary (both copies) and the weekly report with its appended summaries,
read back from a real database on both backends and extracted with pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.reports import service
from hotline.reports.fonts import FontSet
from hotline.reports.weeks import IsoWeek
from tests.hotline import confidential_case as caller
from tests.hotline.confidential_case import leaks
from tests.hotline.reports.conftest import PRINTED_AT, pdf_pages, squeeze


@pytest.mark.parametrize("internal", [True, False])
def test_the_case_summary_holds_no_spelling_of_the_caller(
    database, cli_actor, ttf_fonts: FontSet, tmp_path: Path, internal: bool
) -> None:
    case = caller.make(cli_actor)
    target = tmp_path / "case.pdf"
    service.make_case_pdf(
        cli_actor,
        case.case_no,
        target,
        include_internal=internal,
        fonts=ttf_fonts,
        printed_at=PRINTED_AT,
    )
    text = "".join(pdf_pages(target))
    assert leaks(text) == []
    flat = squeeze(text)
    assert "欧阳**" in flat and "138****5678" in flat  # masked, not dropped
    assert "联系人欧阳**请回电" in flat  # the free texts are there


def test_the_weekly_report_and_its_summaries_hold_no_spelling_of_the_caller(
    database, cli_actor, ttf_fonts: FontSet, tmp_path: Path
) -> None:
    case = caller.make(cli_actor, received_at="2026-11-17T10:00:00")
    target = tmp_path / "week.pdf"
    service.make_weekly_pdf(
        cli_actor,
        IsoWeek(2026, 47),
        target,
        with_cases=True,
        fonts=ttf_fonts,
        generated_at=PRINTED_AT,
    )
    text = "".join(pdf_pages(target))
    assert case.case_no in text
    assert leaks(text) == []
    assert "联系人欧阳**请回电" in squeeze(text)
