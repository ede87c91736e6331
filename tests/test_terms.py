"""One name per thing: the checklist is 首错免罚 (the product spec's term) everywhere."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OTHER_NAME = "首违不罚"
# The title of a published document is quoted as it is: 《税务行政处罚“首违不罚”事项清单》.
QUOTED_TITLE = re.compile(r"《[^》]*》")
# The knowledge base's synonym that takes what callers say to the product's one name.
CALLERS_WORD = '("首违不罚", "首错免罚")'


def test_the_checklist_has_one_name_in_code_ui_translations_resources_and_readme():
    places = [
        *ROOT.glob("hotline/**/*.py"),
        *ROOT.glob("ui/**/*.py"),
        *ROOT.glob("resources/**/*.po"),
        *ROOT.glob("resources/**/*.json"),
        *ROOT.glob("resources/**/*.csv"),
        ROOT / "README.md",
        ROOT / "main.py",
    ]
    found = []
    for path in places:
        text = QUOTED_TITLE.sub("", path.read_text(encoding="utf-8")).replace(CALLERS_WORD, "")
        if OTHER_NAME in text:
            found.append(str(path.relative_to(ROOT)))
    assert found == []
    catalogue = (ROOT / "resources/exemption/catalogue-2026.1.json").read_text(encoding="utf-8")
    assert "首错免罚清单（示例）" in catalogue
