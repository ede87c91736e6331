"""What each figure of the reports counts, in words a manager can check by hand.

The same texts are printed at the end of every report (weekly, monthly, quarterly, annual,
any dates), shown in the statistics window and copied into README. A period runs from its
first day's 00:00 to the 00:00 after its last day, China time; "the period's end" is that
00:00. Every rate divides a number of cases by the number of a set of cases that contains
them, so no rate exceeds 100%.
"""

from __future__ import annotations

from hotline.i18n import N_, _

RECEIVED = N_("受理量")
CLOSED = N_("办结量")
ON_TIME_RATE = N_("按时办结率")
OVERDUE_OPEN = N_("期末超期未办")
REPLIED = N_("答复量")
CALLBACK_RATE = N_("回访率")
CALLED_BACK = N_("回访量")
SATISFACTION_RATE = N_("满意率")
REPEAT = N_("重复诉求")
EXEMPTIONS = N_("首错免罚评估")
SUPERVISION_ISSUED = N_("督办发出量")
SUPERVISION_ON_TIME = N_("其中：按时答复")
CALL_TO_SAVE = N_("来电至登记保存（中位数）")

KPI_DEFINITIONS: list[tuple[str, str]] = [
    (
        N_("统计期"),
        N_(
            "周报为 ISO 周（周一至周日），月报、季报、年报为自然月、季度、年，自定义统计期为所选的"
            "起止日期（含两端）；均从首日 00:00 起，至末日次日 00:00 止（北京时间，不含该时刻）。"
            "“上期”为前一周、月、季度、年；自定义统计期的上期为紧接其前、天数相同的一段。"
        ),
    ),
    (
        RECEIVED,
        N_("受理时间在统计期内的案件数，含已撤销的案件。"),
    ),
    (
        CLOSED,
        N_("状态为“已办结”且办结时间在统计期内的案件数。"),
    ),
    (
        ON_TIME_RATE,
        N_(
            "本期办结的案件中按时办结的件数 ÷ 本期办结量。按时：答复时间（记录承办单位答复或"
            "当场答复的时间；未记录时取办结时间）的日期不晚于办理期限；当场答复、没有办理期限的"
            "案件视为按时。办结量为 0 时显示“—”。"
        ),
    ),
    (
        OVERDUE_OPEN,
        N_(
            "截至统计期末日 24:00 已超期而仍未答复的案件数：受理时间早于期末，办理期限不晚于"
            "末日，答复时间为空或不早于期末，且当时尚未办结；已撤销的案件不计。统计期尚未结束时，"
            "以统计时刻代替期末：即此刻已超期而仍未答复的案件。"
        ),
    ),
    (
        CALLBACK_RATE,
        N_(
            "本期答复的案件（答复时间在统计期内且曾派单；当场答复的咨询不回访，不计入）中，"
            "在统计期结束前已回访的件数 ÷ 这些案件的件数。分子是分母中的一部分案件，因此不会"
            "超过 100%；期末前不久答复、下期才回访的案件在本期计为未回访。"
        ),
    ),
    (
        SATISFACTION_RATE,
        N_(
            "本期回访的案件（回访时间在统计期内）中评价为“满意”或“基本满意”的件数 ÷ 本期回访的"
            "案件数（回访量）。"
        ),
    ),
    (
        REPEAT,
        N_("受理时间在统计期内、且被标记为重复诉求（关联了先前案件）的案件数。"),
    ),
    (
        EXEMPTIONS,
        N_(
            "评估时间在统计期内的首错免罚评估，按评估结论分别计数；同一案件以期内最后一次评估为准。"
        ),
    ),
    (
        SUPERVISION_ISSUED,
        N_("发出时间在统计期内的督办通知（催办和督办）件数；同一案件多次督办分别计数。"),
    ),
    (
        SUPERVISION_ON_TIME,
        N_(
            "上述督办中，承办单位在限定的答复日期当天或之前作出答复（答复企业或答复督办）的件数 "
            "÷ 督办发出量；生成报告时尚未答复的计为未按时。"
        ),
    ),
    (
        CALL_TO_SAVE,
        N_(
            "保存时间在统计期内、由来电弹屏登记的案件，从电话系统报告来电的时间到案件保存的时间，"
            "取中位数（一半案件更快，一半更慢），括号内为这些案件的件数；来电催办、手工登记的"
            "案件不计入。没有此类案件时显示“—”。"
        ),
    ),
    (
        N_("承办单位办理情况"),
        N_(
            "按办理环节当时的承办单位归集（退回、改派后不随案件移走），均以统计期内发生的环节计数："
            "派单为派给该单位的次数；签收为该单位签收的次数，其中按时签收指不晚于退回期限截止日"
            "（派单后管理员设定的工作日数）签收；退回为该单位退回的次数；申请延期、批准延期为"
            "案件在该单位办理时提出的延期申请和获批的次数；被督办、督办按时答复同上文督办口径，"
            "归于督办发出时的承办单位；答复为该单位答复的次数，平均答复工作日为从派单日到答复日"
            "的工作日数之和 ÷ 答复次数（当天答复计 0）；会办为派单时指定该单位会办的件数，"
            "会办按时答复指在会办期限当天或之前向主办单位答复会办意见的件数。"
        ),
    ),
    (
        N_("分类统计"),
        N_(
            "按案件当前的承办单位、所属区域、问题类别、诉求类型、受理渠道归集，各列口径同上；"
            "当前没有承办单位的案件（当场答复、待派单、退回待重新派单）归入“未派单”一行。"
            "各行相加等于总数。"
        ),
    ),
    (
        N_("受理案件清单"),
        N_("受理时间在统计期内的全部案件，按受理时间排序；状态、承办单位为生成报告时的情况。"),
    ),
    (
        N_("变化"),
        N_("本期减上期：件数为差值，比率为百分点之差。"),
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
