"""Shared fixtures: a fresh database per test, a cheap password hash, a frozen-able clock."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HOTLINE_LANG"] = "zh_CN"

from argon2 import PasswordHasher  # noqa: E402

from hotline import auth, db, i18n  # noqa: E402
from hotline.permissions import Actor  # noqa: E402

# Real Argon2, cheaper parameters: the tests create many users.
auth.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOTLINE_HOME", str(home))
    monkeypatch.delenv("HOTLINE_DB", raising=False)
    i18n.set_locale("zh_CN")


@pytest.fixture
def database(tmp_path: Path):
    """A new, migrated SQLite database bound to the models."""
    path = tmp_path / "hotline.sqlite3"
    handle = db.open_database(path)
    yield handle
    db.close()


@pytest.fixture
def cli_actor() -> Actor:
    return Actor.command_line("tester")


def sample_case(**overrides: object) -> dict[str, object]:
    """A valid intake record; override any key."""
    data: dict[str, object] = {
        "channel": "hotline",
        "kind": "complaint",
        "category": "approval",
        "urgency": "normal",
        "district": "410611",
        "enterprise": {"name": "鹤壁市华联商贸有限公司", "uscc": "91410600MA44XKQ35C"},
        "contact": {"name": "张伟", "phone": "13812345678"},
        "subject": "施工许可审批拖延",
        "description": "企业反映施工许可证申请已提交45个工作日仍未办理，窗口答复等待领导签字。",
        "request": "请尽快办理施工许可证",
    }
    data.update(overrides)
    return data
