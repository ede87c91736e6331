"""A confidential case whose caller's name and phone were repeated in every free text, in
every spelling an operator might type; and a check that none of them survives in a copy."""

from __future__ import annotations

import re
import unicodedata

from hotline import cases, timeline, workflow
from hotline.db import write_transaction
from hotline.models import Case
from hotline.permissions import Actor
from hotline.search.index import CaseIndexUpdate
from tests.conftest import sample_case

NAME = "欧阳明华"
PHONE = "13812345678"
LANDLINE = "0392-1234567"
LANDLINE_DIGITS = "3921234567"  # what every spelling of the landline holds in a row
PHONE_SPELLINGS = (
    "13812345678",
    "138 1234 5678",
    "138-1234-5678",
    "138.1234.5678",
    "+86 138 1234 5678",
    "+86-138-1234-5678",
    "(+86)13812345678",
    "0086 13812345678",
    "8613812345678",
    "１３８１２３４５６７８",
    "＋８６ １３８－１２３４－５６７８",
)
LANDLINE_SPELLINGS = (
    "0392-1234567",
    "0392 123 4567",
    "(0392)1234567",
    "+86 392 1234567",
    "０３９２－１２３４５６７",
)
NAME_SPELLINGS = (NAME, "欧 阳 明 华", "欧阳 明华")


def mention(index: int) -> str:
    """A sentence naming the caller with the ``index``-th spellings of name and phone."""
    phone = PHONE_SPELLINGS[index % len(PHONE_SPELLINGS)]
    name = NAME_SPELLINGS[index % len(NAME_SPELLINGS)]
    return f"联系人{name}请回电{phone}，或打{LANDLINE_SPELLINGS[index % len(LANDLINE_SPELLINGS)]}"


def every_spelling() -> str:
    return "；".join(mention(i) for i in range(len(PHONE_SPELLINGS)))


def make(actor: Actor, received_at: str = "2026-11-17T10:00:00") -> Case:
    """Registered, dispatched, noted, replied and called back: the caller in every text."""
    case = cases.register(
        actor,
        sample_case(
            contact={"name": NAME, "phone": PHONE},
            confidential=True,
            subject=f"{NAME}反映审批拖延 {PHONE_SPELLINGS[1]}",
            description=every_spelling(),
            request="请回电 " + "、".join(PHONE_SPELLINGS[5:]) + "，找" + NAME_SPELLINGS[1],
            received_at=received_at,
        ),
    )
    workflow.dispatch(actor, case.id, 1, note=mention(2))
    workflow.add_note(actor, case.id, mention(3) + "；" + mention(9))
    workflow.add_note(actor, case.id, mention(4), internal=True)
    workflow.reply(actor, case.id, "已联系" + mention(5) + "；" + mention(10))
    workflow.callback(actor, case.id, "satisfied", mention(6))
    with write_transaction(), CaseIndexUpdate(case.id):
        timeline.add(
            case.id,
            actor,
            "note",
            mention(7),
            data={"said": mention(8), "numbers": list(PHONE_SPELLINGS[8:])},
        )
    return Case.get_by_id(case.id)


def leaks(text: str) -> list[str]:
    """What of the caller is still readable in ``text``: the phone's or landline's digits in a
    row once everything else is dropped (so any spelling), or the name once spaces are."""
    norm = unicodedata.normalize("NFKC", text)
    digits = re.sub(r"\D", "", norm)
    found = [number for number in (PHONE, LANDLINE_DIGITS) if number in digits]
    if NAME in "".join(norm.split()):
        found.append(NAME)
    return found
