"""Keep README's generated tables true: the keyboard shortcuts (ui/common/shortcuts.py) and
what each role may do (hotline/permissions.py).

    python tools/readme_tables.py           # rewrite the tables in README.md
    python tools/readme_tables.py --check   # exit 1 when README.md is out of date

Each table sits between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->`` in README.md.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hotline import i18n  # noqa: E402
from hotline.enums import Role  # noqa: E402
from hotline.permissions import PERMISSIONS, Action  # noqa: E402
from ui.common import shortcuts  # noqa: E402  (the table itself needs no Qt)

README = ROOT / "README.md"

# What each permission lets a role do, for README's readers (a new Action must be added here).
ACTION_TEXT: dict[Action, str] = {
    Action.CASE_VIEW: "see cases, the lists and the timeline",
    Action.CASE_VIEW_CONFIDENTIAL: "see confidential cases' contact details unmasked",
    Action.CASE_REGISTER: "register cases (intake), edit enterprise records",
    Action.CASE_ANSWER_ON_SPOT: "answer a consultation on the spot and close it",
    Action.CASE_DISPATCH: "dispatch to a department",
    Action.CASE_RETURN: "record a department's return of a case",
    Action.CASE_REQUEST_EXTENSION: "request a deadline extension",
    Action.CASE_DECIDE_EXTENSION: "approve or reject an extension",
    Action.CASE_REPLY: "enter the department's reply",
    Action.CASE_CALLBACK: "record the callback and the enterprise's rating",
    Action.CASE_CLOSE: "close a case",
    Action.CASE_REOPEN: "reopen a case for another round",
    Action.CASE_WITHDRAW: "withdraw a case (duplicate, invalid call)",
    Action.CASE_ADD_NOTE: "add notes to a case",
    Action.CASE_CORRECT: "correct what intake recorded, with a reason (open cases)",
    Action.CASE_CORRECT_CLOSED: "correct a closed or withdrawn case",
    Action.CASE_EXPORT: "export cases (CSV, JSON, XLSX)",
    Action.CASE_IMPORT: "import cases in bulk",
    Action.EXEMPTION_ASSESS: "save a first-offense exemption assessment",
    Action.EXEMPTION_OVERRIDE: "override the first-offense finding, with a reason",
    Action.CATALOGUE_MANAGE: "import a new first-offense exemption catalogue",
    Action.REPORT_VIEW: "statistics and PDFs: case summaries, weekly to annual reports",
    Action.HANDOVER_WRITE: "write the shift handover note",
    Action.ENTERPRISE_MANAGE: "rename enterprises (keeping former names) and merge duplicates",
    Action.ATTACHMENT_ADD: "add documents to a case (at intake too)",
    Action.ATTACHMENT_VIEW: "open, preview and save a case's documents",
    Action.ATTACHMENT_REMOVE: "remove a document, with a reason (a tombstone stays)",
    Action.USER_MANAGE: "manage user accounts",
    Action.SETTINGS_MANAGE: "departments, districts, deadlines and holidays",
    Action.AUDIT_VIEW: "read, verify and export the audit log",
    Action.BACKUP: "back up and restore the database",
    Action.REPLY_TEXT_SHARED: "write the centre's shared reply texts (everyone keeps their own)",
    Action.CASE_ACCEPT: "accept a case dispatched to one's department (签收)",
    Action.CASE_SUPERVISE: "issue a supervision notice (催办/督办) on an overdue or escalated case",
    Action.CASE_GRANT_CALLER: "let the department see a confidential case's caller",
    Action.KNOWLEDGE_EDIT: "write, publish and retire knowledge articles; synonyms; flags",
}

ROLES = (Role.OPERATOR, Role.SHIFT_LEAD, Role.MANAGER, Role.ADMIN, Role.DEPARTMENT)


def _with_locale(locale: str, make):  # type: ignore[no-untyped-def]
    before = i18n.current_locale()
    i18n.set_locale(locale)
    try:
        return make()
    finally:
        i18n.set_locale(before)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def shortcut_keys(item: shortcuts.Shortcut) -> str:
    return " / ".join(f"`{key}`" for key in item.keys)


def shortcuts_table() -> str:
    chinese = _with_locale(
        "zh_CN",
        lambda: [(shortcuts.description(s), shortcuts.places(s)) for s in shortcuts.SHORTCUTS],
    )
    english = _with_locale(
        "en", lambda: [(shortcuts.description(s), shortcuts.places(s)) for s in shortcuts.SHORTCUTS]
    )
    lines = ["| key | 作用 | does | works in |", "|---|---|---|---|"]
    for item, (zh, _zh_where), (en, en_where) in zip(
        shortcuts.SHORTCUTS, chinese, english, strict=True
    ):
        lines.append(f"| {shortcut_keys(item)} | {_cell(zh)} | {_cell(en)} | {_cell(en_where)} |")
    return "\n".join(lines)


def roles_table() -> str:
    labels = _with_locale("en", lambda: [f"{role.label} ({_zh(role)})" for role in ROLES])
    lines = ["| may | " + " | ".join(labels) + " |", "|---|" + "---|" * len(ROLES)]
    for action in Action:
        marks = " | ".join("✓" if action in PERMISSIONS[role] else "" for role in ROLES)
        lines.append(f"| {ACTION_TEXT[action]} | {marks} |")
    return "\n".join(lines)


def _zh(role: Role) -> str:
    return _with_locale("zh_CN", lambda: role.label)  # type: ignore[no-any-return]


TABLES = {"shortcuts": shortcuts_table, "roles": roles_table}


def render(text: str) -> str:
    for name, make in TABLES.items():
        pattern = re.compile(rf"(<!-- {name}:begin -->\n).*?(<!-- {name}:end -->)", flags=re.DOTALL)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- {name}:begin --> … <!-- {name}:end -->")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check README.md")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if args.check:
        if wanted != current:
            print("README.md is out of date: run python tools/readme_tables.py", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
