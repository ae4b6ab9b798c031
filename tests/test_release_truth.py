"""A release's changelog tells the truth about the generated code: whether the code
changed is read off the generated files, never inferred from the diff's findings."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from generator import release
from generator.diff import DiffReport
from generator.errors import SpecError

from .diff_fixtures import base
from .test_diff_rule_cases import schemas

SHA_OLD, SHA_NEW = "a" * 64, "b" * 64


def _repo(tmp_path: Path, doc: dict[str, Any]) -> Path:
    root = tmp_path / "repo"
    (root / "spec").mkdir(parents=True)
    (root / "generated").mkdir()
    (root / "spec" / "meeting-baas-v2.yaml").write_text(json.dumps(doc), "utf-8")
    (root / "spec" / "sdkgen.toml").write_text(
        '[package]\nname = "thingsdk"\nversion = "1.2.3"\n', "utf-8"
    )
    return root


def _blind_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    """A diff that finds nothing, whatever changed (a rule the diff lacks)."""
    real = release.diff_specs

    def blind(*args: Any, **kwargs: Any) -> DiffReport:
        return dataclasses.replace(real(*args, **kwargs), changes=())

    monkeypatch.setattr(release, "diff_specs", blind)


def _changed_code(tmp_path: Path) -> tuple[Path, Path]:
    old = base()
    new = copy.deepcopy(old)
    schemas(new)["CreateThingRequest"]["required"].append("mode")
    new_path = tmp_path / "new.json"
    new_path.write_text(json.dumps(new), "utf-8")
    return _repo(tmp_path, old), new_path


def test_changed_code_without_a_finding_is_a_minor_release_that_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, new_path = _changed_code(tmp_path)
    _blind_diff(monkeypatch)
    planned = release.prepare(root, str(new_path), date="2026-12-04")
    assert planned.new_version == "1.3.0" and planned.bump == "minor"
    assert "no code changes" not in planned.entry
    assert "Generated code changed with no API finding to explain it" in planned.entry
    assert "`thingsdk/resources/things.py`" in planned.entry


def test_strict_refuses_changed_code_without_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, new_path = _changed_code(tmp_path)
    _blind_diff(monkeypatch)
    with pytest.raises(SpecError, match="no API finding to explain it"):
        release.prepare(root, str(new_path), strict=True)


def test_the_real_diff_explains_a_defaulted_field_made_required(
    tmp_path: Path,
) -> None:
    root, new_path = _changed_code(tmp_path)
    planned = release.prepare(root, str(new_path), date="2026-12-04")
    assert planned.bump == "major"
    assert "no code changes" not in planned.entry
    assert "mode" in planned.entry.split("### Breaking", 1)[1]


def test_docstring_only_changes_are_still_a_patch(tmp_path: Path) -> None:
    old = base()
    new = copy.deepcopy(old)
    new["paths"]["/v2/things"]["get"]["description"] = "Lists every thing."
    root = _repo(tmp_path, old)
    new_path = tmp_path / "new.json"
    new_path.write_text(json.dumps(new), "utf-8")
    planned = release.prepare(root, str(new_path), date="2026-12-04")
    assert planned.bump == "patch" and planned.new_version == "1.2.4"
    assert "Docstrings updated from the new spec; no code changes." in planned.entry


def test_code_changes_sets_docstrings_and_the_readme_aside() -> None:
    head = f"# from a spec with sha256 {SHA_OLD}\n"
    old = {
        "m.py": head + 'class A:\n    """doc"""\n\n    x: int = 1\n    """field"""\n',
        "README.md": "old words",
    }
    docs = {
        "m.py": old["m.py"].replace("doc", "new doc").replace(SHA_OLD, SHA_NEW),
        "README.md": "new words",
    }
    code = {**old, "m.py": old["m.py"].replace("= 1", "= 2")}
    assert release.code_changes(old, docs, SHA_OLD, SHA_NEW) == []
    assert release.code_changes(old, code, SHA_OLD, SHA_NEW) == ["m.py"]
    assert release.code_changes(old, {"README.md": "x"}, SHA_OLD, SHA_NEW) == ["m.py"]
