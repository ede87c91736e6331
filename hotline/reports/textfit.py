"""Breaking short texts into lines of a given width without building Paragraphs.

Table cells of the weekly case list and chart labels are plain strings (cheap to lay out);
a text too wide for its column is broken here: between Chinese characters anywhere, between
Latin words at spaces, never starting a line with closing punctuation.
"""

from __future__ import annotations

import functools
import re

from reportlab.pdfbase.pdfmetrics import stringWidth

# A Latin word with its trailing spaces, or any other single character.
_TOKEN = re.compile(r"[A-Za-z0-9_.,:;!?'\"()\[\]/&+\-–]+\s*|\s+|.", re.S)
NO_LINE_START = set("，。、；：？！）》」』】〕…,.;:?!)]%")


@functools.lru_cache(maxsize=4096)
def _width(token: str, font: str, size: float) -> float:
    return stringWidth(token, font, size)


def wrap_text(value: str, font: str, size: float, width: float) -> list[str]:
    """``value`` as lines no wider than ``width`` points (a single token wider than the line
    is broken between characters)."""
    if not value:
        return [""]
    if "\n" not in value and stringWidth(value, font, size) <= width:
        return [value]
    lines: list[str] = []
    for paragraph in value.split("\n"):
        lines += _wrap_line(paragraph, font, size, width)
    return lines


def _wrap_line(value: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current, used = "", 0.0
    for token in _TOKEN.findall(value):
        token_width = _width(token, font, size)
        if used + token_width <= width or not current or token[0] in NO_LINE_START:
            if token_width > width and not current:
                # A single over-long word: break it between characters.
                for char in token:
                    char_width = _width(char, font, size)
                    if used + char_width > width and current:
                        lines.append(current.rstrip())
                        current, used = "", 0.0
                    current += char
                    used += char_width
                continue
            current += token
            used += token_width
        else:
            lines.append(current.rstrip())
            current, used = token.lstrip(), _width(token.lstrip(), font, size)
    lines.append(current.rstrip())
    return lines
