"""Keep the translation catalogues in step with the sources.

    python tools/i18n.py           # add new messages, drop unused ones, in every catalogue
    python tools/i18n.py --check   # list missing translations and placeholder mismatches

Messages are extracted from hotline/, ui/ and main.py (keywords ``_`` and ``N_``). A new
message goes into the catalogue file of its area (core, exemption, reports, ui), chosen by the
path of the first source that uses it. zh_CN translations equal the message ids (Chinese);
English ones are written by hand.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
LOCALES = ("zh_CN", "en")
KEYWORDS = {"_": None, "N_": None}
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)[^{}]*\}")


def area_of(path: str) -> str:
    if path.startswith(("hotline/exemption/", "ui/exemption/")):
        return "exemption"
    if path.startswith(("hotline/reports/", "ui/reports/")):
        return "reports"
    if path.startswith("ui/"):
        return "ui"
    return "core"


def extract() -> dict[str, str]:
    """Every message id used in the sources, with the area of its first use."""
    found: dict[str, str] = {}
    for folder in ("hotline", "ui"):
        directory = ROOT / folder
        if not directory.exists():
            continue
        results = extract_from_dir(
            str(directory), method_map=[("**.py", "python")], keywords=KEYWORDS
        )
        for filename, _lineno, message, _comments, _context in results:
            if isinstance(message, tuple):
                message = message[0]
            if message:
                found.setdefault(message, area_of(f"{folder}/{filename}"))
    main = ROOT / "main.py"
    if main.exists():
        for _lineno, message, _comments, _context in extract_from_file(
            "python", str(main), keywords=KEYWORDS
        ):
            if message:
                found.setdefault(message, "core")
    return found


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def read_catalogues(locale: str) -> dict[str, Catalog]:
    catalogues: dict[str, Catalog] = {}
    for path in sorted((TRANSLATIONS / locale).glob("*.po")):
        with path.open("rb") as handle:
            catalogues[path.stem] = read_po(handle, locale=locale)
    return catalogues


def update() -> None:
    messages = extract()
    for locale in LOCALES:
        folder = TRANSLATIONS / locale
        folder.mkdir(parents=True, exist_ok=True)
        catalogues = read_catalogues(locale)
        known: dict[str, str] = {}
        for area, catalogue in catalogues.items():
            for message in catalogue:
                if message.id and message.id in messages and message.id not in known:
                    known[message.id] = area
        new: dict[str, Catalog] = {}
        for msgid, area in messages.items():
            home = known.get(msgid, area)
            old = catalogues.get(home)
            if home not in new:
                new[home] = Catalog(
                    locale=locale,
                    project="hotline-desk",
                    charset="utf-8",
                    creation_date=FIXED_DATE,
                    revision_date=FIXED_DATE,
                )
            string = ""
            if old is not None and msgid in old:
                string = str(old[msgid].string or "")
            if locale == "zh_CN":
                string = msgid
            new[home].add(msgid, string)
        for area, catalogue in new.items():
            with (folder / f"{area}.po").open("wb") as handle:
                write_po(
                    handle,
                    catalogue,
                    width=0,
                    sort_output=True,
                    omit_header=False,
                    no_location=True,
                )
        for area in set(catalogues) - set(new):
            (folder / f"{area}.po").unlink()


def problems() -> list[str]:
    """What is missing or inconsistent: one line each."""
    messages = extract()
    found: list[str] = []
    for locale in LOCALES:
        merged: dict[str, str] = {}
        for catalogue in read_catalogues(locale).values():
            for message in catalogue:
                if message.id and message.string and not message.fuzzy:
                    merged[str(message.id)] = str(message.string)
        for msgid in messages:
            string = merged.get(msgid)
            if not string:
                found.append(f"{locale}: untranslated: {msgid!r}")
            elif placeholders(string) != placeholders(msgid):
                found.append(f"{locale}: placeholders differ: {msgid!r} -> {string!r}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report problems")
    args = parser.parse_args()
    if not args.check:
        update()
    lines = problems()
    for line in lines:
        print(line)
    return 1 if lines and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
