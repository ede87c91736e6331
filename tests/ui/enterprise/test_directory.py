"""The enterprise directory: search by name part, former name and credit code, pages, and the
changes (rename, merge, steward) for the roles allowed."""

from __future__ import annotations

import pytest

from hotline import cases, enterprise_directory
from hotline.enums import Role
from hotline.models import Case, Enterprise
from tests.conftest import sample_case
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import type_text
from ui.common.session import Session
from ui.enterprise import directory as directory_module
from ui.enterprise.directory import EnterpriseDirectory
from ui.enterprise.directory_dialogs import MergeDialog, RenameDialog, StewardDialog

CODE = "91410600MA44XKQ35C"


@pytest.fixture
def lead_session(database, database_target) -> Session:
    return Session(make_user("lead1", Role.SHIFT_LEAD, "值班长"), database_target)


def _open(qtbot, session) -> EnterpriseDirectory:
    window = EnterpriseDirectory(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.page_label.text() != "", timeout=5000)
    return window


def _search(qtbot, window, text: str) -> list[str]:
    window.search.clear()
    with qtbot.waitSignal(window.loaded, timeout=5000):
        type_text(window.search, text)
    return [r.name for r in window.model.rows]


def test_search_finds_by_name_part_former_name_and_code(qtbot, lead_session, cli_actor):
    first = cases.register(cli_actor, sample_case())
    cases.register(cli_actor, sample_case(enterprise={"name": "淇县福源食品厂"}))
    enterprise_directory.rename(cli_actor, first.enterprise_id, "鹤壁华联集团有限公司")
    window = _open(qtbot, lead_session)
    assert "共 2 家企业" in window.page_label.text()
    assert _search(qtbot, window, "福源") == ["淇县福源食品厂"]
    assert _search(qtbot, window, "华联商贸") == ["鹤壁华联集团有限公司"]  # a former name
    assert "曾用名" in window.model.index(0, 0).data(3)  # the tooltip says how it was found
    assert _search(qtbot, window, "MA44XKQ") == ["鹤壁华联集团有限公司"]
    with qtbot.waitSignal(window.details_loaded, timeout=5000):
        window.table.selectRow(0)
    assert window.former.item(0, 0).text() == "鹤壁市华联商贸有限公司"
    assert _search(qtbot, window, "没有这家") == []
    assert window.detail_title.text() == "没有找到企业"


def test_pages_of_enterprises(qtbot, lead_session, cli_actor, monkeypatch):
    monkeypatch.setattr(directory_module, "PAGE_SIZE", 2)
    for n in range(5):
        cases.register(cli_actor, sample_case(enterprise={"name": f"测试企业{n}"}))
    window = _open(qtbot, lead_session)
    assert "第 1/3 页" in window.page_label.text()
    assert not window.previous_button.isEnabled()
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.next_button.click()
    assert [r.name for r in window.model.rows] == ["测试企业2", "测试企业3"]
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.next_button.click()
    assert "第 3/3 页" in window.page_label.text() and not window.next_button.isEnabled()


def test_a_shift_lead_corrects_a_name(qtbot, lead_session, cli_actor):
    case = cases.register(cli_actor, sample_case())
    window = _open(qtbot, lead_session)
    window.rename()
    dialog = window.dialog
    assert isinstance(dialog, RenameDialog)
    dialog.name.clear()
    type_text(dialog.name, "鹤壁华联集团有限公司")
    type_text(dialog.reason, "营业执照变更")
    # The page read after the change, not the first page's former names, which a slow
    # machine may fetch after the change was saved while the list still shows the old page.
    with qtbot.waitSignal(window.loaded, timeout=5000):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.former.rowCount() == 1, timeout=5000)
    assert Enterprise.get_by_id(case.enterprise_id).name == "鹤壁华联集团有限公司"
    assert window.model.rows[0].former_names == ("鹤壁市华联商贸有限公司",)
    assert window.former.item(0, 4).text() == "营业执照变更"


def test_a_refused_rename_keeps_the_dialog_and_the_text(qtbot, lead_session, cli_actor):
    cases.register(cli_actor, sample_case())
    cases.register(cli_actor, sample_case(enterprise={"name": "另一家公司"}))
    window = _open(qtbot, lead_session)
    window.table.selectRow([r.name for r in window.model.rows].index("另一家公司"))
    window.rename()
    dialog = window.dialog
    dialog.name.clear()
    type_text(dialog.name, "鹤壁市华联商贸有限公司")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "请合并两条档案" in dialog.error.text(), timeout=5000)
    assert dialog.isVisible() and dialog.name.text() == "鹤壁市华联商贸有限公司"


def test_merging_two_records_moves_every_case(qtbot, lead_session, cli_actor):
    kept = cases.register(cli_actor, sample_case(enterprise={"name": "鹤壁市华联商贸有限公司"}))
    moved = [
        cases.register(cli_actor, sample_case(enterprise={"name": "华联商贸", "uscc": CODE}))
        for _ in range(2)
    ]
    window = _open(qtbot, lead_session)
    window.table.selectRow([r.name for r in window.model.rows].index("鹤壁市华联商贸有限公司"))
    window.merge()
    dialog = window.dialog
    assert isinstance(dialog, MergeDialog)
    assert not dialog.ok_button.isEnabled()  # no other record chosen yet
    with qtbot.waitSignal(dialog.searched, timeout=5000) as searched:
        type_text(dialog.search, "MA44")
    assert searched.args == [1]
    dialog.candidates.setCurrentRow(0)
    assert "2 件案件将移到" in dialog.summary.text()
    with qtbot.waitSignal(window.loaded, timeout=5000):
        dialog.ok_button.click()
    survivor = kept.enterprise_id
    assert {Case.get_by_id(c.id).enterprise_id for c in [kept, *moved]} == {survivor}
    assert Enterprise.select().count() == 1
    assert "2 件案件" in window.status.text()
    assert window.model.rows[0].uscc == CODE


def test_merging_two_credit_codes_is_not_offered(qtbot, lead_session, cli_actor):
    cases.register(cli_actor, sample_case())
    cases.register(
        cli_actor, sample_case(enterprise={"name": "华联分店", "uscc": "91410611MA3X4YQ215"})
    )
    window = _open(qtbot, lead_session)
    window.table.selectRow(0)
    window.merge()
    dialog = window.dialog
    with qtbot.waitSignal(dialog.searched, timeout=5000):
        type_text(dialog.search, "华联")
    dialog.candidates.setCurrentRow(0)
    assert "不能合并" in dialog.summary.text() and not dialog.ok_button.isEnabled()


def test_changing_the_steward(qtbot, operator_session, cli_actor):
    case = cases.register(cli_actor, sample_case())
    window = _open(qtbot, operator_session)
    assert window.rename_button.isHidden() and window.merge_button.isHidden()  # operators
    window.change_steward()
    dialog = window.dialog
    assert isinstance(dialog, StewardDialog)
    type_text(dialog.steward_name, "赵敏")
    type_text(dialog.steward_phone, "13937201234")
    with qtbot.waitSignal(window.loaded, timeout=5000):
        dialog.ok_button.click()
    stored = Enterprise.get_by_id(case.enterprise_id)
    assert (stored.steward_name, stored.steward_phone) == ("赵敏", "13937201234")
    assert window.model.rows[0].steward_name == "赵敏"


def test_the_main_window_menu_opens_the_directory(qtbot, session):
    from ui.main_window.window import MainWindow

    main = MainWindow(session)
    qtbot.addWidget(main)
    main.actions_by_name["enterpriseDirectory"].trigger()
    opened = main.menu_actions.open_windows[("enterprise_directory", 0)]
    assert isinstance(opened, EnterpriseDirectory)
    main.actions_by_name["enterpriseDirectory"].trigger()  # raised, not a second one
    assert len([k for k in main.menu_actions.open_windows if k[0] == "enterprise_directory"]) == 1
