"""benchmarks/run_pg.py keeps working: a tiny build and every measure (the CI's .ci/run also
runs it at 20,000 cases)."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path
from types import ModuleType

import psycopg2
import pytest

from tests import backends

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_pg", ROOT / "benchmarks" / "run_pg.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_pg"] = module
    spec.loader.exec_module(module)
    return module


def _indexes(url: str) -> set[str]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename IN ('case', 'case_event')")
            return {row[0] for row in cur.fetchall()}
    finally:
        conn.close()


def test_every_measure_at_a_small_size(tmp_path: Path) -> None:
    if not backends.PG_URL:
        backends.unavailable(backends.SKIP_REASON)
    run_pg = _script()
    out = tmp_path / "result.json"
    name = f"hl_bench_{random.randrange(10**8)}"
    assert run_pg.main(["--pg", backends.PG_URL, "--cases", "400", "--quick", "--intake", "5",
                        "--json", str(out), "--keep", name]) == 0  # fmt: skip
    try:
        result = json.loads(out.read_text())
        assert result["cases"] == 400
        # Every search shape has its samples, however few rows there are to take them from.
        assert set(result["search"]) == {
            "1 character", "2 characters", "3 characters", "8 characters", "credit code",
            "phone, last 4 digits", "case number", "enterprise name part",
        }  # fmt: skip
        assert all(s["search"]["n"] == 20 for s in result["search"].values())
        assert result["pages"]["deep_by_id"]["same_rows"]
        assert result["pages"]["deep_by_received_at"]["same_rows"]
        assert result["weekly_report"]["pages"] >= 1
        assert result["build"]["rows"]["case"] == 400
        assert "case" in result["sizes"]["tables"] or result["sizes"]["database_mb"] > 0
        assert result["settings"]["shared_buffers"]
        # The build's indexes are all back: the same as a database the migrations built.
        bench = backends.with_database(backends.PG_URL, name)
        with backends.server().fresh() as url:
            assert _indexes(bench) == _indexes(url)
    finally:
        backends.server().drop_database(name)


def test_query_words_of_every_shape_cycle_for_any_number_of_calls() -> None:
    run_pg = _script()
    word = run_pg.cycled(["甲", "乙"], "1 character")
    assert [word() for _ in range(5)] == ["甲", "乙", "甲", "乙", "甲"]
    with pytest.raises(SystemExit):
        run_pg.cycled([], "credit code")
