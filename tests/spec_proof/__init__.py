"""Tests that hold the generated SDK to the spec itself (issue 6)."""
