"""parse/loader.py ``deref``: the one way the parser follows ``$ref`` chains."""

from __future__ import annotations

import pytest

from generator.errors import SpecError
from generator.parse.loader import deref, deref_or_none

DOC = {
    "components": {
        "schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/C"},
            "C": {"type": "string"},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "Gone": {"$ref": "#/components/schemas/Nothing"},
        }
    }
}


def test_a_chain_is_followed_to_its_end_and_names_where_it_ended() -> None:
    node = {"$ref": "#/components/schemas/A"}
    assert deref(DOC, node, "#/x") == ({"type": "string"}, "#/components/schemas/C")
    assert deref(DOC, {"type": "integer"}, "#/x") == ({"type": "integer"}, "#/x")


def test_a_dangling_ref_names_the_ref_that_dangles() -> None:
    with pytest.raises(SpecError) as info:
        deref(DOC, {"$ref": "#/components/schemas/Gone"}, "#/x")
    assert info.value.where == "#/components/schemas/Nothing"
    assert deref_or_none(DOC, {"$ref": "#/components/schemas/Gone"}) is None


def test_a_cycle_is_an_error_not_a_hang() -> None:
    with pytest.raises(SpecError, match="cycle"):
        deref(DOC, {"$ref": "#/components/schemas/Loop"}, "#/x")
    assert deref_or_none(DOC, {"$ref": "http://example.com/x"}) is None
