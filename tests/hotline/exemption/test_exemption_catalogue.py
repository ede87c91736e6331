"""The shipped catalogue and finding its items by words, codes and pinyin initials."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from hotline.exemption.catalogue import (
    available_versions,
    catalogue_from_dict,
    default_catalogue,
    find,
    version_key,
)
from hotline.exemption.validation import CONDITION_ID_PATTERN
from hotline.seed import DEPARTMENTS

CATALOGUE = default_catalogue()
ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")


def codes(text: str, **kwargs: str) -> list[str]:
    return [item.code for item in CATALOGUE.search(text, **kwargs)]


def test_catalogue_is_large_enough_and_says_it_is_a_sample() -> None:
    assert len(CATALOGUE) >= 60
    assert len(set(CATALOGUE.bodies())) >= 8
    assert "示例" in CATALOGUE.name and "SAMPLE" in CATALOGUE.note
    assert CATALOGUE.version == available_versions()[-1]
    assert CATALOGUE.effective_date.year >= 2026
    assert CATALOGUE.source


def test_codes_are_unique_and_items_complete() -> None:
    counts = Counter(item.code for item in CATALOGUE)
    assert [code for code, n in counts.items() if n > 1] == []
    for item in CATALOGUE:
        assert item.conditions, item.code
        assert all(CONDITION_ID_PATTERN.match(c.id) and c.text for c in item.conditions), item.code
        assert len(set(item.condition_ids)) == len(item.conditions), item.code
        assert item.lookback_days > 0, item.code
        assert item.keywords, item.code
        assert item.catalogue_version == CATALOGUE.version
        for text in (item.body, item.area, item.violation):
            assert text.strip(), item.code
        assert "《" in item.violated_provision, item.code


def test_most_provisions_cite_an_article() -> None:
    cited = sum(1 for item in CATALOGUE if ARTICLE.search(item.penalty_provision))
    assert cited >= len(CATALOGUE) * 0.9


def test_tax_items_carry_the_five_year_period_of_the_tax_law() -> None:
    tax = CATALOGUE.by_body("税务机关")
    assert len(tax) >= 10
    assert all(item.limitation_years == 5 for item in tax)
    assert all("第八十六条" in (item.limitation_basis or "") for item in tax)


def test_every_body_is_a_department_of_the_seed() -> None:
    seeded = {body for _code, _name, body, _phone in DEPARTMENTS if body}
    assert set(CATALOGUE.bodies()) <= seeded


def test_json_round_trip() -> None:
    again = catalogue_from_dict(CATALOGUE.to_dict())
    assert again == CATALOGUE


def test_versions_sort_numerically() -> None:
    assert sorted(["2026.10", "2026.9", "2025.2"], key=version_key) == [
        "2025.2",
        "2026.9",
        "2026.10",
    ]


def test_pinyin_initials_find_the_business_licence() -> None:
    found = codes("yyzz")
    assert found, "yyzz finds nothing"
    first = CATALOGUE.get(found[0])
    assert first is not None and "营业执照" in first.violation
    assert all("营业执照" in f"{CATALOGUE.get(c)}" for c in found)


def test_full_pinyin_and_chinese_words_find_the_same_item() -> None:
    assert codes("营业执照")[0] == codes("yingyezhizhao")[0] == codes("yyzz")[0]


def test_code_search_is_exact_first_and_width_insensitive() -> None:
    assert codes("SW-003")[0] == "SW-003"
    assert codes("sw003")[0] == "SW-003"
    assert codes("ＳＷ－００３")[0] == "SW-003"
    assert set(codes("XF-00")) == {i.code for i in CATALOGUE.by_body("消防救援机构")}


def test_every_word_must_match() -> None:
    both = codes("消防 通道")
    assert both and all("通道" in CATALOGUE.get(c).violation for c in both)  # type: ignore[union-attr]
    assert codes("消防 营业执照") == []


def test_body_and_area_words() -> None:
    tax = codes("税务机关")
    assert set(tax) == {i.code for i in CATALOGUE.by_body("税务机关")}
    assert set(codes("食品安全")) >= {"SC-008", "SC-009"}
    assert codes("发票", body="市场监督管理部门") == ["SC-012"]


def test_keywords_rank_before_provisions() -> None:
    found = codes("发票")
    assert found[0].startswith("SW-")


def test_empty_text_lists_everything_in_order() -> None:
    assert codes("") == [item.code for item in CATALOGUE]
    assert find(CATALOGUE.items, None) == list(CATALOGUE.items)
    assert find(CATALOGUE.items, "   ") == list(CATALOGUE.items)


@pytest.mark.parametrize("text", ["zzzzqqq", "不存在的违法行为", "SW-999"])
def test_no_match(text: str) -> None:
    assert codes(text) == []
