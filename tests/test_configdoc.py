"""docs/configuration.md is what generator/configkeys.py makes (no drift), and
lists every key the loader knows."""

from __future__ import annotations

import re
from pathlib import Path

from generator import configdoc
from generator.configkeys import API_KEYS, TABLES

from .conftest import ROOT


def test_the_committed_reference_is_the_generated_one() -> None:
    committed = (ROOT / configdoc.DOC_PATH).read_text("utf-8")
    assert committed == configdoc.reference(), (
        "docs/configuration.md is out of date: run python -m generator.configdoc"
    )


def test_the_reference_lists_every_known_key_once_per_table() -> None:
    text = configdoc.reference()
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    by_table = {s.split("`")[1]: s for s in sections}
    assert set(by_table) == {f"[{t}]" for t in TABLES} | {"[apis.<module>]"}
    for table, keys in TABLES.items():
        rows = re.findall(r"^\| `([^`]+)` \|", by_table[f"[{table}]"], flags=re.M)
        if keys is None:
            assert len(rows) == 1 and rows[0].startswith("<")
        else:
            assert sorted(rows) == sorted(keys)
            for row in by_table[f"[{table}]"].splitlines():
                if row.startswith("| `"):
                    assert row.count(" | ") == 4 and "|  |" not in row
    api_rows = re.findall(r"^\| `([^`]+)` \|", by_table["[apis.<module>]"], flags=re.M)
    assert sorted(api_rows) == sorted(API_KEYS)
    assert "| `spec` | string |" in by_table["[package]"]


def test_check_fails_on_a_stale_reference_and_a_run_rewrites_it(
    tmp_path: Path,
) -> None:
    doc = tmp_path / configdoc.DOC_PATH
    assert configdoc.main(["--check", str(tmp_path)]) == 1  # absent
    doc.parent.mkdir()
    doc.write_text(configdoc.reference().replace("boolean", "bool"), "utf-8")
    assert configdoc.main(["--check", str(tmp_path)]) == 1
    assert configdoc.main([str(tmp_path)]) == 0
    assert doc.read_text("utf-8") == configdoc.reference()
    assert configdoc.main(["--check", str(tmp_path)]) == 0
