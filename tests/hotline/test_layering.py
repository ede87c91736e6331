"""The core never loads Qt: importing every module of hotline leaves PySide6 out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import importlib, pkgutil, sys
import hotline
for info in pkgutil.walk_packages(hotline.__path__, "hotline."):
    importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "ui")))
print(",".join(loaded))
"""


def test_importing_hotline_loads_no_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
