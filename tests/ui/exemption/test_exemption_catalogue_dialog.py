"""Catalogue administration: a broken file refused row by row, a good one imported and in force."""

from __future__ import annotations

import json
from pathlib import Path

from hotline import clock
from hotline.enums import Role
from hotline.exemption import store
from hotline.exemption.catalogue import default_catalogue
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import commit_text, type_text
from ui.common.session import Session
from ui.exemption.catalogue_dialog import CatalogueDialog

BROKEN = (
    "编号,实施主体,监管领域,违法行为,违法依据,处罚依据,适用条件,首违回溯期（天）\n"
    "X-1,市场监督管理部门,登记,某行为,某条,某条,no_gain：没有违法所得,365\n"
    "X-2,市场监督管理部门,登记,某行为,某条,,no_gain：没有违法所得,365\n"
)


def open_dialog(qtbot, session: Session) -> CatalogueDialog:
    dialog = CatalogueDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=5000)
    return dialog


def test_a_broken_file_is_listed_by_row_and_column_and_nothing_changes(
    qtbot, session, tmp_path: Path
) -> None:
    path = tmp_path / "新清单.csv"
    path.write_text(BROKEN, encoding="utf-8")
    dialog = open_dialog(qtbot, session)
    assert [info.version for info in dialog.model.rows] == ["2026.1"]
    dialog.path.setText(str(path))
    type_text(dialog.version, "2026.2")
    type_text(dialog.effective, clock.today().isoformat())
    commit_text(dialog.name, "鹤壁市首错免罚清单（第二版）")
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.problems.count() > 0, timeout=5000)
    lines = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert lines == ["第 3 行“处罚依据”列：不能为空"]
    assert "现行版本不变" in dialog.result_label.text()
    assert store.catalogue_in_force().version == "2026.1"
    assert len(store.list_versions()) == 1


def test_a_good_file_is_imported_and_listed_in_force(qtbot, session, tmp_path: Path) -> None:
    data = default_catalogue().to_dict()
    data.update(version="2026.2", effective_date=clock.today().isoformat(), name="正式清单")
    path = tmp_path / "official.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dialog = open_dialog(qtbot, session)
    dialog.path.setText(str(path))
    with qtbot.waitSignal(dialog.imported, timeout=5000) as imported:
        dialog.start_import()
    assert imported.args == ["2026.2"]
    assert "已导入 2026.2 版" in dialog.result_label.text()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=5000)
    in_force = [info.version for info in dialog.model.rows if info.in_force]
    assert in_force == ["2026.2"]
    assert dialog.model.index(0, 1).data() == "现行"


def test_only_administrators_may_import(qtbot, database, database_target) -> None:
    operator = Session(make_user("seat9", Role.OPERATOR), database_target)
    dialog = open_dialog(qtbot, operator)
    assert not dialog.import_button.isEnabled()
