"""What each figure of the weekly report counts, in words a manager can check by hand.

The same texts are printed at the end of the report and copied into README. The week is
Monday 00:00 to the next Monday 00:00, China time; "the week's end" is that next Monday 00:00.
"""

from __future__ import annotations

from hotline.i18n import N_, _

RECEIVED = N_("受理量")
CLOSED = N_("办结量")
ON_TIME_RATE = N_("按时办结率")
OVERDUE_OPEN = N_("周末超期未办")
CALLBACK_RATE = N_("回访率")
SATISFACTION_RATE = N_("满意率")
REPEAT = N_("重复诉求")
EXEMPTIONS = N_("首错免罚评估")

KPI_DEFINITIONS: list[tuple[str, str]] = [
    (
        N_("统计周"),
        N_("ISO 周：周一 00:00 至下周一 00:00（北京时间），不含下周一 00:00。"),
    ),
    (
        RECEIVED,
        N_("受理时间在本周内的案件数，含已撤销的案件。"),
    ),
    (
        CLOSED,
        N_("状态为“已办结”且办结时间在本周内的案件数。"),
    ),
    (
        ON_TIME_RATE,
        N_(
            "本周办结的案件中按时办结的件数 ÷ 本周办结量。按时：答复时间（记录承办单位答复或"
            "当场答复的时间；未记录时取办结时间）的日期不晚于办理期限；当场答复、没有办理期限的"
            "案件视为按时。办结量为 0 时显示“—”。"
        ),
    ),
    (
        OVERDUE_OPEN,
        N_(
            "截至本周日 24:00 已超期而仍未答复的案件数：受理时间早于下周一 00:00，办理期限不晚于"
            "本周日，答复时间为空或不早于下周一 00:00，且当时尚未办结；已撤销的案件不计。"
        ),
    ),
    (
        CALLBACK_RATE,
        N_(
            "回访时间在本周内的案件数 ÷ 答复时间在本周内且曾派单的案件数（当场答复的咨询不回访，"
            "不计入）。上周答复、本周回访的案件计入本周的回访数，因此该比率可能超过 100%。"
        ),
    ),
    (
        SATISFACTION_RATE,
        N_("本周回访的案件中评价为“满意”或“基本满意”的件数 ÷ 回访时间在本周内的案件数。"),
    ),
    (
        REPEAT,
        N_("受理时间在本周内、且被标记为重复诉求（关联了先前案件）的案件数。"),
    ),
    (
        EXEMPTIONS,
        N_("评估时间在本周内的首错免罚评估，按评估结论分别计数。"),
    ),
    (
        N_("承办单位统计"),
        N_(
            "按案件当前的承办单位归集，各列口径同上：受理、办结、按时办结、周末超期未办、满意率；"
            "当前没有承办单位的案件（当场答复、待派单、退回待重新派单）归入“未派单”一行。"
        ),
    ),
    (
        N_("本周受理案件清单"),
        N_("受理时间在本周内的全部案件，按受理时间排序；状态、承办单位为生成报告时的情况。"),
    ),
    (
        N_("变化"),
        N_("本周减上周：件数为差值，比率为百分点之差。"),
    ),
]


def kpi_definitions() -> list[tuple[str, str]]:
    """The definitions translated into the active locale: (name, text)."""
    return [(_(name), _(text)) for name, text in KPI_DEFINITIONS]


def kpi_definitions_markdown() -> str:
    """The definitions as a Markdown table (for README), in the active locale."""
    lines = ["| " + _("指标") + " | " + _("口径") + " |", "|---|---|"]
    lines += [f"| {name} | {text} |" for name, text in kpi_definitions()]
    return "\n".join(lines)
