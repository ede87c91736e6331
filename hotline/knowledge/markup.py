"""The small formatting language of an article's answer, and what it becomes on screen and paper.

An answer is plain text with a safe subset of Markdown, nothing else:

- ``# 标题`` and ``## 小标题`` (headings, two levels);
- ``- 一项`` or ``* 一项`` (a bulleted list) and ``1. 第一步`` (a numbered list);
- ``**重点**`` (bold) inside any line;
- ``[标题](kb:12)`` a link to article 12 (any other link target is shown as its text only);
- an empty line ends a paragraph.

Everything else (HTML tags, images, scripts) is text: :func:`html` escapes it, so an answer
can never run anything in the Qt viewer. :func:`parse` gives the blocks the PDF lays out,
:func:`plain` the text a reply to the caller carries, :func:`linked_articles` the articles an
answer cites.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,2})\s+(.*)$")
_BULLET = re.compile(r"^[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})[.、．)]\s*(.*)$")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")
_KB = re.compile(r"^kb:(\d{1,9})$")


@dataclass(frozen=True)
class Block:
    kind: str  # "h1", "h2", "p", "ul", "ol"
    lines: tuple[str, ...]  # the paragraph's lines or the list's items, still with inline marks


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_kind = ""

    def flush() -> None:
        nonlocal list_kind
        if paragraph:
            blocks.append(Block("p", tuple(paragraph)))
            paragraph.clear()
        if items:
            blocks.append(Block(list_kind, tuple(items)))
            items.clear()
        list_kind = ""

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if heading:
            flush()
            blocks.append(Block("h1" if len(heading.group(1)) == 1 else "h2", (heading.group(2),)))
        elif bullet or numbered:
            kind = "ul" if bullet else "ol"
            if paragraph or (items and kind != list_kind):
                flush()
            list_kind = kind
            items.append(bullet.group(1) if bullet else numbered.group(2))  # type: ignore[union-attr]
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return blocks


def _inline_html(text: str) -> str:
    out: list[str] = []
    pos = 0
    for match in _LINK.finditer(text):
        out.append(_bold_html(html_lib.escape(text[pos : match.start()])))
        label, target = match.group(1), match.group(2)
        kb = _KB.match(target)
        if kb:
            out.append(f'<a href="kb:{kb.group(1)}">{_bold_html(html_lib.escape(label))}</a>')
        else:
            out.append(_bold_html(html_lib.escape(label)))
        pos = match.end()
    out.append(_bold_html(html_lib.escape(text[pos:])))
    return "".join(out)


def _bold_html(escaped: str) -> str:
    return _BOLD.sub(r"<b>\1</b>", escaped)


def html(text: str) -> str:
    """The answer as the HTML subset Qt's text viewer shows; every character of the text is
    escaped, only the markup above becomes tags."""
    parts: list[str] = []
    for block in parse(text):
        if block.kind in ("h1", "h2"):
            tag = "h3" if block.kind == "h1" else "h4"
            parts.append(f"<{tag}>{_inline_html(block.lines[0])}</{tag}>")
        elif block.kind == "p":
            parts.append("<p>" + "<br>".join(_inline_html(line) for line in block.lines) + "</p>")
        else:
            items = "".join(f"<li>{_inline_html(item)}</li>" for item in block.lines)
            parts.append(f"<{block.kind}>{items}</{block.kind}>")
    return "\n".join(parts)


def inline_plain(text: str) -> str:
    """A line without its inline marks: links become their text, bold plain."""
    return _BOLD.sub(r"\1", _LINK.sub(r"\1", text))


def plain(text: str) -> str:
    """The answer as plain text (a reply to the caller, a spreadsheet cell)."""
    lines: list[str] = []
    for block in parse(text):
        if lines:
            lines.append("")
        if block.kind in ("h1", "h2", "p"):
            lines.extend(inline_plain(line) for line in block.lines)
        elif block.kind == "ul":
            lines.extend(f"· {inline_plain(item)}" for item in block.lines)
        else:
            lines.extend(f"{n}. {inline_plain(item)}" for n, item in enumerate(block.lines, 1))
    return "\n".join(lines)


def linked_articles(text: str) -> list[int]:
    """The ids of the articles ``text`` links to, in order, each once."""
    found: dict[int, None] = {}
    for match in _LINK.finditer(text or ""):
        kb = _KB.match(match.group(2))
        if kb:
            found[int(kb.group(1))] = None
    return list(found)


def relink(text: str, numbers: Mapping[int, int]) -> str:
    """``text`` with its links to article ``n`` pointed at ``numbers[n]`` (others unchanged)."""

    def one(match: re.Match[str]) -> str:
        kb = _KB.match(match.group(2))
        if kb is None or int(kb.group(1)) not in numbers:
            return match.group(0)
        return f"[{match.group(1)}](kb:{numbers[int(kb.group(1))]})"

    return _LINK.sub(one, text)


def pdf_markup(line: str) -> str:
    """A line as reportlab's paragraph markup: escaped, bold kept, links as their text."""
    escaped = html_lib.escape(inline_plain_links(line), quote=False)
    return _bold_html(escaped)


def inline_plain_links(text: str) -> str:
    return _LINK.sub(r"\1", text)
