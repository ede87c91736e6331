"""The intake draft store: atomic files per user, listed newest first, discarded on request."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from hotline import clock, drafts, paths
from hotline.errors import HotlineError


def test_saved_draft_comes_back_with_its_chinese_text():
    drafts.save("zhangsan", "d1", {"subject": "施工许可审批拖延", "enterprise": {"name": "华联"}})
    draft = drafts.load("zhangsan", "d1")
    assert draft is not None
    assert draft.data == {"subject": "施工许可审批拖延", "enterprise": {"name": "华联"}}
    assert draft.draft_id == "d1"


def test_pending_is_per_user_and_newest_first():
    with clock.frozen(dt.datetime(2026, 11, 23, 9, 0)):
        drafts.save("zhangsan", "old", {"subject": "旧"})
    with clock.frozen(dt.datetime(2026, 11, 23, 10, 0)):
        drafts.save("zhangsan", "new", {"subject": "新"})
    drafts.save("lisi", "other", {"subject": "别人的"})
    assert [d.draft_id for d in drafts.pending("zhangsan")] == ["new", "old"]
    assert [d.draft_id for d in drafts.pending("zhangsan", exclude={"new"})] == ["old"]
    assert [d.draft_id for d in drafts.pending("lisi")] == ["other"]
    assert drafts.pending("wangwu") == []


def test_drafts_live_in_the_data_directory():
    path = drafts.save("zhangsan", "d1", {"a": 1})
    assert paths.data_dir() / "drafts" in path.parents


def test_saving_again_replaces_and_leaves_no_temporary_files():
    drafts.save("zhangsan", "d1", {"subject": "一"})
    drafts.save("zhangsan", "d1", {"subject": "二"})
    assert drafts.load("zhangsan", "d1").data == {"subject": "二"}
    assert sorted(p.name for p in drafts.folder("zhangsan").iterdir()) == ["d1.json"]


def test_a_failed_write_keeps_the_previous_draft(monkeypatch):
    drafts.save("zhangsan", "d1", {"subject": "完整的旧版本"})

    def broken_replace(src, dst):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", broken_replace)
        with pytest.raises(HotlineError, match="disk full"):
            drafts.save("zhangsan", "d1", {"subject": "新版本"})
    assert drafts.load("zhangsan", "d1").data == {"subject": "完整的旧版本"}
    assert [p.name for p in drafts.folder("zhangsan").iterdir()] == ["d1.json"]


def test_discard_removes_the_draft_and_tolerates_a_missing_one():
    drafts.save("zhangsan", "d1", {"a": 1})
    drafts.discard("zhangsan", "d1")
    drafts.discard("zhangsan", "d1")
    assert drafts.load("zhangsan", "d1") is None
    assert drafts.pending("zhangsan") == []


def test_a_damaged_file_is_skipped_not_fatal():
    drafts.save("zhangsan", "good", {"a": 1})
    (drafts.folder("zhangsan") / "bad.json").write_text("{not json", encoding="utf-8")
    assert [d.draft_id for d in drafts.pending("zhangsan")] == ["good"]


def test_user_names_cannot_escape_the_drafts_folder():
    drafts.save("..", "d1", {"a": 1})
    drafts.save("a/b", "d1", {"a": 2})
    root = paths.data_dir() / "drafts"
    assert all(root in p.parents for p in root.rglob("*.json"))
    assert drafts.load("..", "d1").data == {"a": 1}
    assert drafts.load("a/b", "d1").data == {"a": 2}
    with pytest.raises(ValueError):
        drafts.save("zhangsan", "../escape", {})


def test_accepts_a_user_row(database):
    from hotline import auth

    user = auth.create_first_admin("admin", "管理员", "secret-123")
    drafts.save(user, "d1", {"a": 1})
    assert [d.draft_id for d in drafts.pending("admin")] == ["d1"]
