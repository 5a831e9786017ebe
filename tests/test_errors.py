"""Values shown in error messages stay short, whatever a file holds."""

from __future__ import annotations

import pytest

from models.errors import ConfigError, reject_unknown, shown


def test_an_enormous_integer_is_described_by_its_digits():
    assert shown(10**5000) == "an integer of about 5,001 digits"  # str() would fail


def test_long_text_is_cut_to_one_short_line():
    text = shown("a\nb" + "x" * 10_000)
    assert len(text) == 40 and text.endswith("…") and "\n" not in text


def test_deeply_nested_lists_are_shown_without_recursing():
    nested: list[object] = []
    for _ in range(100_000):
        nested = [nested]
    assert shown(nested) == "[[a list of 1 item]]"


def test_small_lists_show_their_items_and_long_ones_their_length():
    assert shown([8, "8"]) == "[8, '8']"
    assert shown(list(range(1000))) == "a list of 1,000 items"


def test_unknown_names_are_listed_briefly():
    names = ["z" * 100_000, *(f"f{i}" for i in range(20))]
    with pytest.raises(ConfigError) as info:
        reject_unknown(names, ["hidden"], "NADE field")
    message = str(info.value)
    assert len(message) < 200 and "and 16 more" in message
