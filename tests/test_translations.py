"""Both catalogues translate every message of the sources, with the same placeholders."""

from __future__ import annotations

from hotline import i18n
from hotline.enums import Status
from tools import i18n as catalogue_tool


def test_every_message_is_translated_with_the_same_placeholders() -> None:
    problems = catalogue_tool.problems()
    assert problems == [], "\n".join(problems[:30])


def test_sources_have_messages() -> None:
    assert len(catalogue_tool.extract()) > 100


def test_switching_language() -> None:
    try:
        i18n.set_locale("en")
        assert Status.DISPATCHED.label == "Dispatched"
        assert i18n.format_percent(0.953) == "95.3%"
    finally:
        i18n.set_locale("zh_CN")
    assert Status.DISPATCHED.label == "已派单"
