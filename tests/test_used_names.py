"""The names a rendered piece uses (what its module imports) come from the
symbol table, and equal what the syntax tree says, piece by piece."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.emit import usednames
from generator.emit.usednames import _names, _symbol_names, _tree_names

from .conftest import ROOT

CORPUS = ROOT.parent / "shared" / "specs" / "corpus"


def sources_of(args: list[str], monkeypatch: Any) -> list[str]:
    """Every source a ``generate`` run asks the names of (no piece cache)."""
    from generator.cli import main

    seen: list[str] = []
    real = usednames._names

    def capture(source: str, filename: str) -> tuple[set[str], set[str]]:
        seen.append(source)
        return real(source, filename)

    monkeypatch.setenv("SDKGEN_NO_CACHE", "1")
    monkeypatch.setattr(usednames, "_names", capture)
    assert main(["generate", *args]) == 0
    monkeypatch.setattr(usednames, "_names", real)
    return sorted(set(seen))


def assert_same_names(sources: list[str]) -> None:
    assert sources
    for source in sources:
        tree = _tree_names(source, "x.py")
        assert _names(source, "x.py") == tree, source[:300]
        if not usednames._tree_only(source):
            assert _symbol_names(source, "x.py") == tree, source[:300]


def test_bundled_spec_pieces_name_what_the_tree_names(
    tmp_path: Path, monkeypatch: Any
) -> None:
    sources = sources_of(["--out", str(tmp_path / "o")], monkeypatch)
    assert_same_names(sources)
    # Most pieces take the fast way.
    fast = [s for s in sources if not usednames._tree_only(s)]
    assert len(fast) >= len(sources) * 3 // 4, (len(fast), len(sources))


def corpus_specs() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".json", ".yaml", ".yml"))


def _corpus_sources(specs: list[Path], tmp_path: Path, monkeypatch: Any) -> list[str]:
    sources: set[str] = set()
    for spec in specs:
        name = "c_" + re.sub(r"\W", "_", spec.stem.lower())
        config = tmp_path / f"{name}.toml"
        config.write_text(f'[package]\nname = "{name}"\n')
        args = ["--spec", str(spec), "--config", str(config)]
        if spec.name == "oai_v20_petstore.json":
            continue  # Swagger 2.0: nothing is rendered
        sources.update(sources_of([*args, "--out", str(tmp_path / name)], monkeypatch))
    return sorted(sources)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent (the corpus)")
def test_two_corpus_specs_name_what_the_tree_names(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """The fast sibling of the whole-corpus test."""
    specs = [p for p in corpus_specs() if p.name in ("resend.yaml", "gladia.json")]
    assert_same_names(_corpus_sources(specs, tmp_path, monkeypatch))


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent (the corpus)")
def test_corpus_pieces_name_what_the_tree_names(
    tmp_path: Path, monkeypatch: Any
) -> None:
    assert_same_names(_corpus_sources(corpus_specs(), tmp_path, monkeypatch))


# Code where the symbol table alone would answer differently from the tree.
DIFFERENT = {
    "except-as": "def f():\n    try:\n        pass\n    except E as Thing:\n"
    "        return Thing\n",
    "del": "def f(x):\n    Thing = x\n    del Thing\n\n\ndel Other\n",
    "match-capture": "def f(x):\n    match x:\n        case Thing:\n"
    "            return Thing\n",
    "del-after-colon": "def f(x):\n    Thing = x\n    if x: del Thing\n",
    "del-after-semicolon": "Thing = 1; del Thing\n",
    "global": "def f():\n    global Thing\n    Thing = 1\n",
    "super": "class A(B):\n    def f(self):\n        return super().f()\n",
}


@pytest.mark.parametrize("source", DIFFERENT.values(), ids=DIFFERENT.keys())
def test_pieces_the_symbol_table_misreads_go_to_the_tree(source: str) -> None:
    assert usednames._tree_only(source)
    assert _names(source, "x.py") == _tree_names(source, "x.py")


def test_the_guard_is_needed() -> None:
    """Without it, these would import differently (so the list above matters)."""
    differ = [
        k
        for k, source in DIFFERENT.items()
        if _symbol_names(source, "x.py") != _tree_names(source, "x.py")
    ]
    assert "del" in differ


SAME = {
    "model": "class A(BaseModel):\n    x: Annotated[int, Field(ge=1)] = 1\n"
    '    """Doc."""\n    y: list[B] | None = None\n',
    "method": "def get(self, bot_id: str, *, timeout: Timeout = NOT_GIVEN) -> Bot:\n"
    "    return self._get(f'/bots/{path_segment(bot_id)}', cast_to=Bot,"
    " timeout=timeout)\n",
    "comprehension": "X = {k: v for k, v in Y.items() if k in Z}\n"
    "W = [f(a) for a in V]\n",
    "lambda-and-defaults": "def f(x=Default, *a, **k):\n    return lambda y: g(y, x)\n",
    "nested": "def f():\n    Inner = 1\n\n    def g():\n        return Inner\n"
    "\n    return g\n",
    "class-body": "class A:\n    B = C\n    D: ClassVar[E]\n\n    def f(self) -> B:\n"
    "        return self.B\n",
    "docstring-words": 'def f():\n    """In which case we del it, except globals."""\n'
    "    return Thing\n",
    "walrus-and-for": "def f(xs):\n    for Item in xs:\n        if (N := g(Item)):\n"
    "            return N\n",
}


@pytest.mark.parametrize("source", SAME.values(), ids=SAME.keys())
def test_plain_code_takes_the_symbol_table_and_agrees(source: str) -> None:
    assert not usednames._tree_only(source)
    assert _symbol_names(source, "x.py") == _tree_names(source, "x.py")


def test_invalid_code_is_reported_as_before() -> None:
    with pytest.raises(RuntimeError, match="not valid Python"):
        _names("def f(:\n", "x.py")


def test_a_class_body_name_is_no_module_name(monkeypatch: Any) -> None:
    """A field (or method) called like a module-level name leaves that name
    used: the module still needs its import. A parameter or local called like
    one neither needs nor hides it (found by fuzzing: ``datetime`` and
    ``pydantic`` as a query parameter and a credential argument)."""
    source = (
        "class Params(RequestModel):\n"
        "    datetime: str | None\n"
        "    def at(self, when: datetime) -> date:\n"
        "        size = len(self.datetime)\n"
        "        return [x for x in (when,)][size]\n"
        "def helper(pydantic: str) -> str:\n"
        "    return pydantic\n"
    )
    used = {"RequestModel", "str", "datetime", "date", "len"}
    expected = (used, {"Params", "helper"})
    assert _tree_names(source, "x.py") == expected
    assert _symbol_names(source, "x.py") == expected
