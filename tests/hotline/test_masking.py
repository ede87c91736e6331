"""Masking a confidential caller's contact details."""

from __future__ import annotations

import pytest

from hotline.masking import mask_name, mask_phone, scrub


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
