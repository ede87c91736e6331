"""Required text made only of invisible characters is empty, and the field is named.

Zero-width characters (U+200B–U+200D, U+2060, U+FEFF), other format characters (Unicode
category Cf), every kind of space (U+00A0, U+3000) and the blank "filler" letters show nothing:
a subject, a name, a reason or a note holding only them is refused as missing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline import admin, auth, cases, handover, workflow
from hotline.enums import Role
from hotline.errors import ValidationError
from hotline.intake import parse_intake
from hotline.permissions import Actor
from hotline.storable import is_blank, visible_text
from tests.conftest import sample_case

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c\u200d",  # zero-width non-joiner, joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark / zero-width no-break space
    "\u200e\u200f\u202a\u202c",  # direction marks and embeddings (Cf)
    "\u00ad",  # soft hyphen (Cf)
    "\u3000",  # ideographic space
    "\u00a0 \t\u2003",  # no-break, ordinary, tab, em space
    "\u3164\u115f",  # Hangul fillers
    "\u200b\u3000\ufeff\u00a0\u2060",
]
ADMIN = Actor("管理员", Role.ADMIN, None)


@pytest.mark.parametrize("blank", INVISIBLE)
@pytest.mark.parametrize("field", ["subject", "description", "enterprise.name", "contact.name"])
def test_intake_field_of_invisible_characters_is_missing(database, field: str, blank: str) -> None:
    data = sample_case()
    if "." in field:
        group, key = field.split(".")
        data[group] = {**data[group], key: blank}  # type: ignore[dict-item]
    else:
        data[field] = blank
    with pytest.raises(ValidationError) as info:
        parse_intake(data)
    assert info.value.fields() == {field}
    assert "此项必填" in info.value.text


def _note(actor: Actor, text: str) -> object:
    case = cases.register(actor, sample_case())
    return workflow.add_note(actor, case.id, text)


def _withdraw(actor: Actor, text: str) -> object:
    case = cases.register(actor, sample_case())
    return workflow.withdraw(actor, case.id, text)


def _handover(actor: Actor, text: str) -> object:
    return handover.write_note(actor, text)


def _department(actor: Actor, text: str) -> object:
    return admin.save_department(ADMIN, code="TEST", name=text)


def _user(actor: Actor, text: str) -> object:
    return auth.create_user(ADMIN, "newuser", text, "operator", "Seat#2026a")


REQUIRED: dict[str, tuple[Callable[[Actor, str], object], str]] = {
    "note": (_note, "note"),
    "withdraw reason": (_withdraw, "reason"),
    "handover": (_handover, "text"),
    "department name": (_department, "name"),
    "user's name": (_user, "display_name"),
}


@pytest.mark.parametrize("blank", INVISIBLE[::3])
@pytest.mark.parametrize("what", REQUIRED)
def test_required_text_of_invisible_characters_is_refused_with_its_field(
    database, cli_actor, what: str, blank: str
) -> None:
    write, field = REQUIRED[what]
    with pytest.raises(ValidationError) as info:
        write(cli_actor, blank)
    assert info.value.fields() == {field}
    write(cli_actor, f"{blank}可见的内容{blank}")  # visible text around them is fine


_ALPHABET = st.sampled_from(sorted(set("".join(INVISIBLE)) | {"\u180e", "\ufe0f", "\u2800"}))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=_ALPHABET, min_size=1, max_size=12))
def test_any_mix_of_invisible_characters_is_blank(text: str) -> None:
    assert is_blank(text)
    assert visible_text(text) == ""


@given(
    left=st.text(alphabet=_ALPHABET, max_size=4),
    middle=st.text(min_size=1).filter(lambda t: not is_blank(t)),
    right=st.text(alphabet=_ALPHABET.filter(lambda c: c != "\ufe0f"), max_size=4),
)
def test_visible_text_keeps_what_shows(left: str, middle: str, right: str) -> None:
    kept = visible_text(left + middle + right)
    assert kept and not is_blank(kept)
    assert kept in left + middle + right


def test_stored_text_loses_the_invisible_characters_around_it(database, cli_actor) -> None:
    case = cases.register(
        cli_actor, sample_case(subject="\u200b\u3000施工许可审批拖延\ufeff", request="\u2060")
    )
    assert case.subject == "施工许可审批拖延"
    assert case.request == ""


@pytest.mark.parametrize(
    "text",
    ["诉求\u00ad", "\u00ad诉求", "\u200b诉求\u00ad\u3000", "诉\u00ad求"],
)
def test_a_soft_hyphen_is_part_of_the_text_wherever_it_stands(text: str) -> None:
    kept = visible_text(text)
    assert kept.count("\u00ad") == 1 and "诉" in kept
    assert kept == text.strip("\u200b\u3000")


def test_drawn_format_characters_are_text() -> None:
    # Format characters (Cf) that fonts draw: the Arabic number sign, end of ayah.
    for char in ("\u0600", "\u06dd"):
        assert not is_blank(char)
        assert visible_text(f"\u200b{char}") == char


def test_a_mongolian_variation_selector_stays_with_its_letter() -> None:
    assert visible_text("\u1820\u180b\u200b") == "\u1820\u180b"


def test_a_soft_hyphen_in_a_registered_subject_is_stored(database, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case(subject="施工许可审批拖延\u00ad\u200b"))
    assert case.subject == "施工许可审批拖延\u00ad"
