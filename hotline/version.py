"""The program's version, the one place it is written (``hotline.__version__``), and the
lines that show it: ``hotline --version``, the About box and the PDFs' footer.

The schema version printed beside it is the newest migration this program knows
(``migrations.latest_version``): the version a database has after this program opened it.
"""

from __future__ import annotations

from hotline import __version__
from hotline.i18n import _
from hotline.migrations import latest_version

PRODUCT = "hotline-desk"


def program_version() -> str:
    return __version__


def schema_version() -> int:
    return latest_version()


def version_line() -> str:
    """``营商环境投诉热线工作台 0.1.0（数据库架构 14）`` in the user's language."""
    return _("营商环境投诉热线工作台 {version}（数据库架构 {schema}）").format(
        version=__version__, schema=latest_version()
    )


def generator_line() -> str:
    """What a PDF's footer says made it: the program, its version and schema version."""
    return _("由营商环境投诉热线工作台 {version} 生成（数据库架构 {schema}）").format(
        version=__version__, schema=latest_version()
    )


def pdf_creator() -> str:
    """The PDF's Creator property (language-independent, read by document tools)."""
    return f"{PRODUCT} {__version__} (schema {latest_version()})"
