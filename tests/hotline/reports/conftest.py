"""Fixtures of the PDF tests: font sets, sample case data, reading a PDF back as text."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from hotline.reports.data import (
    CaseSummary,
    ContactInfo,
    ExemptionSummary,
    ReportEnterprise,
    TimelineEntry,
)
from hotline.reports.fonts import FontSet, register_fonts

PRINTED_AT = dt.datetime(2026, 11, 30, 9, 15)


def font_missing(reason: str) -> None:
    """Skip on a developer's machine without the font; fail in CI, which installs it
    (.ci/run), so the embedded-font path is always tested there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run should have installed it")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def ttf_fonts() -> FontSet:
    fonts = register_fonts()
    if not fonts.embedded:
        font_missing("no Chinese TrueType font installed (apt-get install fonts-wqy-microhei)")
    return fonts


@pytest.fixture(scope="session")
def cid_fonts() -> FontSet:
    return register_fonts(force_cid=True)


@pytest.fixture(params=["ttf", "cid"])
def any_fonts(request: pytest.FixtureRequest, ttf_fonts: FontSet, cid_fonts: FontSet) -> FontSet:
    return ttf_fonts if request.param == "ttf" else cid_fonts


def pdf_pages(source: bytes | Path) -> list[str]:
    """The text of every page."""
    data = source.read_bytes() if isinstance(source, Path) else source
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_body(source: bytes, *, top_mm: float, bottom_mm: float) -> str:
    """The text between the page header and footer of every page, pages joined: what
    flowed through the body frame, with running headers left out."""
    height = 297 / 25.4 * 72
    top, bottom = height - top_mm / 25.4 * 72, bottom_mm / 25.4 * 72
    parts: list[str] = []

    def keep(text: str, cm: list[float], tm: list[float], *_args: object) -> None:
        y = tm[5] * cm[3] + cm[5]
        if bottom <= y <= top:
            parts.append(text)

    for page in PdfReader(io.BytesIO(source)).pages:
        page.extract_text(visitor_text=keep)
    return "".join(parts)


def squeeze(value: str) -> str:
    """``value`` without any whitespace (line breaks differ between layout and extraction)."""
    return "".join(value.split())


def make_summary(**overrides: object) -> CaseSummary:
    values: dict[str, object] = dict(
        case_no="YS20261116-0007",
        subject="建设工程规划许可审批超期",
        description="我公司于2026年9月提交建设工程规划许可申请，材料齐全，至今未获受理结果。",
        request="请求尽快办理规划许可，并说明超期原因。",
        status="已办结",
        channel="热线电话",
        kind="投诉",
        category="行政审批",
        urgency="一般",
        district="淇滨区",
        received_at=dt.datetime(2026, 11, 16, 9, 12),
        registered_by="王小丽",
        enterprise=ReportEnterprise(
            "鹤壁市华信精密机械制造有限公司",
            "91410600MA44XKQ35C",
            "淇滨区",
            "装备制造",
            "刘建国",
            "0392-3316001",
        ),
        contact=ContactInfo("李明华", "13912345678"),
        department="市行政审批和政务信息管理局",
        dispatched_at=dt.datetime(2026, 11, 16, 10, 0),
        deadline=dt.date(2026, 12, 3),
        ceiling=dt.date(2026, 12, 16),
        handled_at=dt.datetime(2026, 11, 27, 15, 30),
        reply="我局已于11月27日核发建设工程规划许可证。",
        callback_at=dt.datetime(2026, 11, 28, 10, 5),
        satisfaction="基本满意",
        callback_comment="希望今后审批更及时。",
        closed_at=dt.datetime(2026, 11, 28, 10, 10),
        timeline=[
            TimelineEntry(dt.datetime(2026, 11, 16, 9, 12), "王小丽", "受理登记", "热线来电"),
            TimelineEntry(dt.datetime(2026, 11, 16, 10, 0), "赵值班", "派单", "派至审批局"),
            TimelineEntry(
                dt.datetime(2026, 11, 20, 14, 0),
                "赵值班",
                "备注",
                "内部沟通：审批局称材料缺项",
                internal=True,
            ),
            TimelineEntry(dt.datetime(2026, 11, 27, 15, 30), "审批局", "部门答复", "已核发"),
        ],
        exemption=ExemptionSummary(
            "可以不予处罚（首次违法）",
            False,
            [("初次违法，危害后果轻微并及时改正", "《行政处罚法》第三十三条第一款")],
            item="SCJG-003 未在经营场所醒目位置悬挂营业执照",
            catalogue="首错免罚清单（示例）2024",
        ),
    )
    values.update(overrides)
    return CaseSummary(**values)  # type: ignore[arg-type]
