"""The answer's formatting: headings, lists, bold, links to articles; nothing else runs."""

from __future__ import annotations

from hotline.knowledge import markup

TEXT = "# 办理\n1. 网上申请\n2. 窗口领取\n\n- 带**身份证**\n见[社保](kb:12)与[外站](https://x.y)\n<script>alert(1)</script>"


def test_html_keeps_the_subset_and_escapes_the_rest() -> None:
    html = markup.html(TEXT)
    assert "<h3>办理</h3>" in html
    assert "<ol><li>网上申请</li><li>窗口领取</li></ol>" in html
    assert "<b>身份证</b>" in html
    assert '<a href="kb:12">社保</a>' in html
    assert "https://x.y" not in html and "外站" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_plain_text_for_a_reply() -> None:
    text = markup.plain(TEXT)
    assert "1. 网上申请" in text and "· 带身份证" in text and "社保" in text
    assert "**" not in text and "kb:" not in text


def test_linked_articles() -> None:
    assert markup.linked_articles("[a](kb:3) [b](kb:1) [c](kb:3)") == [3, 1]
