"""The decision as the operator reads it: the outcome in a coloured banner, whether the
authority must or may refrain from punishing, every reason with its article, and the facts
still to find out. Facts that cannot be right (an end before the start…) are listed instead.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from hotline.errors import Problem
from hotline.exemption.outcome import Decision, Outcome
from hotline.i18n import _

# banner colours: (background, border, text)
TONES = {
    "mandatory": ("#e6f4ea", "#34a853", "#0d652d"),
    "discretionary": ("#e8f0fe", "#4285f4", "#174ea6"),
    "needs_facts": ("#fef7e0", "#f9ab00", "#7a4f01"),
    "not_eligible": ("#fce8e6", "#d93025", "#8c1d18"),
    "invalid": ("#fce8e6", "#d93025", "#8c1d18"),
    "empty": ("#f1f3f4", "#dadce0", "#5f6368"),
}
STYLE = """
QLabel#decisionNature { color: #3c4043; font-weight: 600; }
QLabel#decisionReasons { color: #202124; }
QLabel#decisionSource { color: #5f6368; }
QLabel#decisionMissing { background: #fffbf0; border: 1px solid #f9ab00; border-radius: 4px;
    padding: 6px 8px; color: #5c3900; }
"""


def tone_of(decision: Decision) -> str:
    if decision.outcome is Outcome.NEEDS_FACTS:
        return "needs_facts"
    if decision.outcome is Outcome.NOT_ELIGIBLE:
        return "not_eligible"
    return "mandatory" if decision.mandatory else "discretionary"


class DecisionView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionView")
        self.setStyleSheet(STYLE)
        self.tone = "empty"
        self.banner = QLabel(objectName="decisionBanner", wordWrap=True)
        font = self.banner.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.banner.setFont(font)
        self.nature = QLabel(objectName="decisionNature", wordWrap=True)
        self.source = QLabel(objectName="decisionSource", wordWrap=True)
        self.missing = QLabel(objectName="decisionMissing", wordWrap=True)
        self.missing.setTextFormat(Qt.TextFormat.RichText)
        self.reasons = QLabel(objectName="decisionReasons", wordWrap=True)
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reasons.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.nature)
        layout.addWidget(self.source)
        layout.addWidget(self.missing)
        layout.addWidget(self.reasons, 1)
        self.show_empty(_("正在加载…"))

    def _set_tone(self, tone: str) -> None:
        self.tone = tone
        background, border, text = TONES[tone]
        self.banner.setStyleSheet(
            f"QLabel {{ background: {background}; border: 1px solid {border};"
            f" border-left: 6px solid {border}; border-radius: 4px; padding: 10px;"
            f" color: {text}; }}"
        )

    def show_empty(self, text: str) -> None:
        self._set_tone("empty")
        self.banner.setText(text)
        self.nature.hide()
        self.source.hide()
        self.missing.hide()
        self.reasons.clear()

    def show_decision(self, decision: Decision, source: str = "") -> None:
        self._set_tone(tone_of(decision))
        self.source.setText(source)
        self.source.setVisible(bool(source))
        self.banner.setText(decision.outcome.label)
        if decision.exempt:
            self.nature.setText(
                _("羁束：执法机关应当不予处罚")
                if decision.mandatory
                else _("裁量：执法机关可以不予处罚，由其决定")
            )
            self.nature.show()
        else:
            self.nature.hide()
        if decision.missing:
            lines = "".join(f"<li>{escape(m.text)}</li>" for m in decision.missing)
            heading = (
                _("还需查明（查明后可能得出更有利的结论）：")
                if decision.exempt
                else _("还需查明：")
            )
            self.missing.setText(
                f"<b>{escape(heading)}</b><ul style='margin:0 0 0 -20px'>{lines}</ul>"
            )
            self.missing.show()
        else:
            self.missing.hide()
        rows = []
        for reason in decision.reasons:
            state = decision.grounds.get(reason.ground)
            if state is True:
                mark, colour = "✔", "#0d652d"
            elif state is False:
                mark, colour = "✘", "#8c1d18"
            else:
                mark, colour = "？", "#7a4f01"
            rows.append(
                f"<p style='margin:0 0 8px 0'><span style='color:{colour}'>{mark}</span> "
                f"{escape(reason.text)}<br><span style='color:#5f6368'>"
                f"{escape(_('依据：{basis}').format(basis=reason.basis_text))}</span></p>"
            )
        self.reasons.setText(
            f"<p style='margin:0 0 6px 0'><b>{escape(_('理由'))}</b></p>" + "".join(rows)
        )

    def show_problems(self, problems: list[Problem]) -> None:
        self._set_tone("invalid")
        self.banner.setText(_("事实有矛盾或格式不对，请先更正"))
        self.nature.hide()
        self.source.hide()
        self.missing.hide()
        items = "".join(f"<li>{escape(p.text)}</li>" for p in problems)
        self.reasons.setText(f"<ul style='margin:0 0 0 -20px'>{items}</ul>")
