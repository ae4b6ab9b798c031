"""Query filters documented as comma-separated lists take the values their
description names (generator/emit/filters.py)."""

from __future__ import annotations

import pytest

from generator import ir
from generator.emit.filters import comma_list_items

ENUMS = {"BotStatus": ("queued", "completed"), "Status": ("a",)}


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            "Keep bots on these platforms; a comma-separated list of zoom, meet"
            " and teams.",
            ("zoom", "meet", "teams"),
        ),
        ("A comma-separated list of one_off and recurring.", ("one_off", "recurring")),
        ("a comma-separated list of a, b, or c", ("a", "b", "c")),
    ],
)
def test_values_named_in_the_text(doc: str, expected: tuple[str, ...]) -> None:
    found = comma_list_items(doc, ENUMS)
    assert found == ir.UnionType(tuple(ir.LiteralType(v) for v in expected))


def test_an_enum_named_by_its_words() -> None:
    doc = "Keep bots in any of these statuses; a comma-separated list of bot status"
    doc += " values."
    assert comma_list_items(doc, ENUMS) == ir.EnumRef("BotStatus")


@pytest.mark.parametrize(
    "doc",
    [
        "Keep bots whose name contains this text.",
        "a comma-separated list of meeting URLs.",  # not values
        "a comma-separated list of calendar values.",  # no such enum
        "a comma-separated list of zoom.",  # one value is not a list of names
        "a comma-separated list of Zoom, Meet and Teams.",  # not wire values
    ],
)
def test_unsure_means_any_string(doc: str) -> None:
    assert comma_list_items(doc, ENUMS) is None
