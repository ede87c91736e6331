"""Fill English translations from a JSON object {message id: translation}.

    python tools/translate.py en translations.json

Only messages already in a catalogue of the locale are set (run tools/i18n.py first); the
rest are listed. Safe to run while others edit other messages: it rewrites only the files
whose messages it changes, re-reading each just before writing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"


def apply(locale: str, mapping: dict[str, str]) -> list[str]:
    left = dict(mapping)
    for path in sorted((TRANSLATIONS / locale).glob("*.po")):
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=locale)
        changed = False
        for msgid in list(left):
            if msgid in catalogue:
                catalogue[msgid].string = left.pop(msgid)
                catalogue[msgid].flags.discard("fuzzy")
                changed = True
        if changed:
            with path.open("wb") as handle:
                write_po(handle, catalogue, width=0, sort_output=True, no_location=True)
    return list(left)


def main() -> int:
    locale, source = sys.argv[1], sys.argv[2]
    mapping = json.loads(Path(source).read_text(encoding="utf-8"))
    for msgid in apply(locale, mapping):
        print(f"not in any catalogue: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
