"""Translation and locale formatting for every message the program shows.

Message ids are the Chinese texts (Chinese is the default language). Catalogues are gettext
``.po`` files under ``resources/translations/<locale>/``, one file per area of the program;
they are read with babel at start-up, so a fresh clone needs no compile step.

``N_`` marks a text for extraction without translating it (module-level labels);
``_`` translates it in the active locale.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from hotline.paths import TRANSLATIONS

if TYPE_CHECKING:
    from babel import Locale

log = logging.getLogger(__name__)

DEFAULT_LOCALE = "zh_CN"
LOCALES = ("zh_CN", "en")

_lock = threading.Lock()
_catalogues: dict[str, dict[str, str]] = {}
_active = DEFAULT_LOCALE
_IDENTITY: dict[str, str] = {}


def N_(message: str) -> str:
    """Mark ``message`` for translation; translate it later with ``_``."""
    return message


def load_catalogue(locale: str, directory: Path = TRANSLATIONS) -> dict[str, str]:
    """All translations of ``locale``: every ``.po`` file of its folder, merged."""
    from babel.messages.pofile import read_po

    messages: dict[str, str] = {}
    folder = directory / locale
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=locale)
        for message in catalogue:
            if message.id and message.string and not message.fuzzy:
                messages[str(message.id)] = str(message.string)
    return messages


def _catalogue(locale: str) -> dict[str, str]:
    if locale == DEFAULT_LOCALE:
        # Message ids are the Chinese texts (tools/i18n.py keeps zh_CN msgstr == msgid),
        # so Chinese needs no catalogue at run time: start-up stays fast.
        return _IDENTITY
    with _lock:
        if locale not in _catalogues:
            _catalogues[locale] = load_catalogue(locale)
        return _catalogues[locale]


def normalize_locale(name: str | None) -> str:
    if not name:
        return DEFAULT_LOCALE
    lowered = name.replace("-", "_").lower()
    if lowered.startswith("en"):
        return "en"
    return DEFAULT_LOCALE


def set_locale(name: str | None) -> str:
    """Make ``name`` (``zh_CN`` or ``en``; anything else means Chinese) the active locale."""
    global _active
    _active = normalize_locale(name)
    _catalogue(_active)
    return _active


def current_locale() -> str:
    return _active


def _(message: str) -> str:
    """Translate ``message`` into the active locale; an unknown message is shown as it is."""
    return _catalogue(_active).get(message, message)


def translated(message: str, locale: str) -> str:
    """``message`` in ``locale`` (``zh_CN`` or ``en``), whatever the active locale is."""
    return _catalogue(normalize_locale(locale)).get(message, message)


def babel_locale() -> Locale:
    from babel import Locale

    return Locale.parse(_active)


def format_date(value: dt.date | None, form: str = "medium") -> str:
    if value is None:
        return ""
    if _active == DEFAULT_LOCALE and form == "medium":
        return value.strftime("%Y-%m-%d")
    from babel import dates as babel_dates

    return babel_dates.format_date(value, format=form, locale=babel_locale())


def format_datetime(value: dt.datetime | None, form: str = "short") -> str:
    if value is None:
        return ""
    if _active == DEFAULT_LOCALE and form == "short":
        return value.strftime("%Y-%m-%d %H:%M")
    from babel import dates as babel_dates

    return babel_dates.format_datetime(value, format=form, locale=babel_locale())


def format_number(value: int | float | Decimal) -> str:
    if isinstance(value, int) and _active in LOCALES:
        return f"{value:,}"  # both shipped locales group thousands with commas
    from babel import numbers as babel_numbers

    return babel_numbers.format_decimal(value, locale=babel_locale())


def format_percent(value: float | None, digits: int = 1) -> str:
    """A ratio (0.953) as a percentage; ``None`` (nothing to divide by) as a dash."""
    if value is None:
        return "—"
    from babel import numbers as babel_numbers

    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return babel_numbers.format_percent(value, format=pattern, locale=babel_locale())


set_locale(os.environ.get("HOTLINE_LANG"))
