"""Masking a confidential caller's contact details."""

from __future__ import annotations

import pytest

from hotline.masking import mask_name, mask_phone, mask_phones, scrub


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("+86 138 1234 1234", "+86 138 **** 1234"),
        ("0392-3316001", "039*-***6001"),
        ("3316001", "*****01"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(phone: str | None, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三丰", "张**"),
        ("李明", "李*"),
        ("欧阳娜娜", "欧阳**"),
        ("王", "*"),
        ("John Smith", "J***"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_scrub_masks_the_number_however_it_was_typed() -> None:
    text = (
        "张三丰来电，号码 138 1234 1234，又说 138-1234-1234 或 13812341234；另一号 913812341234。"
    )
    cleaned = scrub(text, name="张三丰", phone="13812341234")
    assert "张三丰" not in cleaned and "张**" in cleaned
    assert "138 **** 1234" in cleaned and "138-****-1234" in cleaned and "138****1234" in cleaned
    assert "913812341234" in cleaned  # a longer number that merely contains it is left alone


def test_scrub_without_details_changes_nothing() -> None:
    assert scrub("没有联系方式", name="", phone="") == "没有联系方式"


SPELLINGS = [
    "13812345678",
    "138 1234 5678",
    "138-1234-5678",
    "138.1234.5678",
    "+86 138 1234 5678",
    "+86-138-1234-5678",
    "+86-13812345678",
    "(+86)13812345678",
    "（+86）138 1234 5678",
    "0086 13812345678",
    "0086-138-1234-5678",
    "8613812345678",
    "１３８１２３４５６７８",
    "＋８６ １３８ １２３４ ５６７８",
    "138 - 1234 - 5678",
]


def _digits(text: str) -> str:
    import re
    import unicodedata

    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("where", ["电话{}。", "电话:{}", "{}", "tel{}号", "请拨{}或找张三丰"])
def test_scrub_finds_every_spelling_of_the_callers_mobile(spelling: str, where: str) -> None:
    text = where.format(spelling)
    cleaned = scrub(text, name="张三丰", phone="138-1234-5678")
    assert "13812345678" not in _digits(cleaned), cleaned
    assert "5678" in _digits(cleaned)  # masked, not removed: the last four stay
    assert "张三丰" not in cleaned


@pytest.mark.parametrize(
    "spelling",
    [
        "0392-1234567",
        "0392 123 4567",
        "03921234567",
        "(0392)1234567",
        "+86 392 1234567",
        "０３９２－１２３４５６７",
    ],
)
def test_scrub_finds_every_spelling_of_the_callers_landline(spelling: str) -> None:
    cleaned = scrub(f"座机{spelling}转8", name="李四", phone="0392-1234567")
    assert "3921234567" not in _digits(cleaned), cleaned


@pytest.mark.parametrize(
    "written", ["张三丰", "张 三 丰", "张　三　丰", "张\u200b三丰", "张三\n丰"]
)
def test_scrub_finds_the_name_with_spaces_between_its_characters(written: str) -> None:
    cleaned = scrub(f"来电人{written}称", name="张三丰", phone="")
    assert cleaned == "来电人张**称"


def test_scrub_keeps_the_rest_of_the_text() -> None:
    text = "案件YS20261206-0001于2026-12-06受理，金额12345元，信用代码91410600MA44XKQ35C。"
    assert scrub(text, name="张三丰", phone="13812345678") == text


def test_scrub_masks_a_second_number_of_the_caller() -> None:
    cleaned = scrub("也可打 139 0000 1111 或 0392-3312345", name="张三丰", phone="13812345678")
    assert "13900001111" not in _digits(cleaned) and "3923312345" not in _digits(cleaned)


@pytest.mark.parametrize(
    "spelling", [*SPELLINGS, "0392-1234567", "0392 123 4567", "０３９２１２３４５６７"]
)
def test_mask_phones_masks_any_number_in_any_spelling(spelling: str) -> None:
    cleaned = mask_phones(f"caller {spelling} rang")
    digits = _digits(cleaned)
    assert "13812345678" not in digits and "3921234567" not in digits, cleaned
