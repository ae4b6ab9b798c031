"""generator/usercache.py: one folder per cache, one file per entry, each
folder pruned to its size budget (oldest first) by the first write of a run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import ircache, usercache, warm
from generator.emit import piececache, render
from generator.parse import validator


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("SDKGEN_NO_CACHE", raising=False)
    return tmp_path / "meetingbaas-sdkgen"


def test_entries_are_files_of_their_own(root: Path) -> None:
    store = usercache.Store("things", 1000)
    assert store.get("a") is None
    assert store.put("a", b"one") and store.put("b", b"two")
    assert store.get("a") == b"one"
    assert sorted(p.name for p in (root / "things").iterdir()) == ["a", "b"]


def test_the_first_write_of_a_run_prunes_oldest_first(root: Path) -> None:
    old = usercache.Store("things", 10**6)
    for n in range(6):
        old.put(f"e{n}", b"x" * 100)
        os.utime(root / "things" / f"e{n}", ns=(n, n))
    store = usercache.Store("things", 250)  # a new run
    store.put("new", b"y" * 50)
    assert sorted(p.name for p in (root / "things").iterdir()) == ["e4", "e5", "new"]
    store.put("later", b"z" * 500)  # pruned once a run: the run's writes stay
    assert (root / "things" / "new").exists()


def test_nothing_is_kept_with_sdkgen_no_cache(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDKGEN_NO_CACHE", "1")
    store = usercache.Store("things", 1000)
    assert not store.put("a", b"one")
    assert store.get("a") is None
    assert not root.exists()


def test_a_folder_that_cannot_be_read_is_left_alone(tmp_path: Path) -> None:
    usercache.prune(tmp_path / "missing", 0)  # no error


def test_every_cache_is_a_bounded_store() -> None:
    stores = [
        warm.RECORDS,
        piececache.STORE,
        ircache.STORE,
        validator.STORE,
        render.TEMPLATES,
    ]
    assert len({s.name for s in stores}) == len(stores)
    assert all(0 < s.budget <= 64 * usercache.MB for s in stores)
