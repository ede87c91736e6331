"""Collecting validation problems: the length check every text field uses."""

from __future__ import annotations

import pytest

from hotline.errors import MSG_TOO_LONG, Problems, ValidationError
from hotline.i18n import set_locale


@pytest.fixture(autouse=True)
def chinese():
    set_locale("zh_CN")


def test_too_long_counts_characters_and_names_the_field_and_both_numbers() -> None:
    problems = Problems()
    assert not problems.too_long("subject", "营商环境", 4)
    assert not problems
    assert problems.too_long("subject", "营商环境好", 4)
    with pytest.raises(ValidationError) as caught:
        problems.raise_if_any()
    (problem,) = caught.value.problems
    assert (problem.field, problem.message, problem.params) == (
        "subject",
        MSG_TOO_LONG,
        {"limit": 4, "length": 5},
    )
    assert problem.text == "不能超过 4 个字符（现有 5 个）"
