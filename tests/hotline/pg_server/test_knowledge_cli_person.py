"""``knowledge`` on a server where each person signs in as their own login role: the person's
role decides, as in the app. Every person may read the articles there (the server grants it),
so without this an operator could list or export the editors' drafts from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hotline.cli import main
from hotline.enums import Role
from tests.hotline.pg_server.conftest import PEOPLE, Centre, bare_url


def _as(centre: Centre, role: Role, *args: str) -> tuple[int, str, str]:

    bare = bare_url(centre)
    username, _name, password = PEOPLE[role]
    out, err = io.StringIO(), io.StringIO()
    argv = ["--db", bare, "--user", username, "--sign-in-stdin", "knowledge", *args]
    code = main(argv, stdin=io.StringIO(password + "\n"), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_a_shift_lead_imports_and_an_operator_is_refused(cli_desk: Centre, tmp_path: Path) -> None:
    source = tmp_path / "kb.csv"
    source.write_text(
        "标题,答案,分类,状态\n如何办理营业执照,一网通办,企业开办,已发布\n内部草稿,未定,企业开办,草稿\n",
        encoding="utf-8",
    )
    code, out, err = _as(cli_desk, Role.SHIFT_LEAD, "import", str(source))
    assert code == 0, err
    assert out.strip() == "已导入知识：新建 2 条，更新 0 条，未变 0 条"
    code, out, err = _as(cli_desk, Role.SHIFT_LEAD, "--json", "list")
    assert code == 0, err
    assert [(r["title"], r["status"]) for r in json.loads(out)] == [
        ("如何办理营业执照", "published"),
        ("内部草稿", "draft"),
    ]
    target = tmp_path / "out.csv"
    for args in (["list"], ["export", str(target)], ["import", str(source), "--dry-run"]):
        code, out, err = _as(cli_desk, Role.OPERATOR, *args)
        assert (code, out, err.strip()) == (1, "", "当前角色（坐席）无权执行此操作：编辑知识库")
    assert not target.exists()
