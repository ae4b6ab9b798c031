"""The one-pass YAML builder makes what the safe loader makes, or steps aside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.parse import yamldoc
from generator.parse.loader import MAX_ALIAS_NODES, MAX_DEPTH, parse_text

from .conftest import ROOT

CORPUS = ROOT.parent / "shared" / "specs" / "corpus"
LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])


def built(text: str, loader: Any = yaml.SafeLoader) -> Any:
    events = yaml.parse(text, Loader=loader)
    return yamldoc.build_checked(events, "a.yaml", MAX_DEPTH, MAX_ALIAS_NODES)


def same(ours: Any, theirs: Any) -> None:
    """Equal with the same types and key order (``1 == 1.0 == True`` is not
    enough), compared through repr."""
    assert repr(ours) == repr(theirs)


def yaml_files() -> list[Any]:
    found = [ROOT / "spec" / "meeting-baas-v2.yaml"]
    if CORPUS.is_dir():
        found += sorted(p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".yml"))
    return [pytest.param(p, id=p.name) for p in found]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("path", yaml_files())
def test_real_specs_are_built_as_the_safe_loader_builds_them(
    path: Path, loader: Any
) -> None:
    text = path.read_text("utf-8-sig")
    ours = built(text, loader)
    assert ours is not yamldoc.UNSURE
    same(ours, yaml.load(text, Loader=loader))


PLAIN = {
    "scalars": "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: '1'\ng: 0x1F\nh: 1_000\n"
    "i: .inf\nj: -.nan\nk: 0o17\nl: 1:30\nm: Yes\nn: ''\no:\np: 0b101\n",
    "int-keys": "responses:\n  200: ok\n  '404': missing\n  4XX: other\n",
    "bool-and-null-keys": "true: a\nnull: b\n1.5: c\n",
    "styles": 'a: "x\\ty"\nb: |\n  line\n  two\nc: >-\n  folded\n  text\n'
    'd: [1, "2", {e: f}]\n',
    "duplicate-key": "a: 1\nb: 2\na: 3\n",
    "timestamps": "a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\n",
    "anchors": "a: &x {type: string}\nb: *x\nc: [*x, &y 3, *y]\n",
    "alias-key": "a: &k name\n*k : 1\n",
    "root-scalar": "just text\n",
    "root-alias-sequence": "- &x 1\n- *x\n",
    "empty-collections": "a: {}\nb: []\nc: [[], {}]\n",
    "unicode": "clé: ✓ ünïcode\n",
    "document-markers": "---\na: 1\n...\n",
}

ASIDE = {
    "explicit-tag": "a: !!str 1\n",
    "binary": "a: !!binary aGVsbG8=\n",
    "local-tag": "a: !thing 1\n",
    "merge-key": "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
    "value-key": "=: 1\n",
    "complex-key": "? [a, b]\n: 1\n",
    "alias-of-a-mapping-as-key": "a: &m {x: 1}\n*m : 2\n",
    "duplicate-anchor": "a: &x 1\nb: &x 2\nc: *x\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "empty": "",
    "tagged-collection": "a: !!set {x, y}\n",
    "huge-int": "a: " + "1" * 5000 + "\n",
    "thirteenth-month": "a: 2001-13-45\n",
}


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("text", PLAIN.values(), ids=PLAIN.keys())
def test_plain_documents_are_built_in_the_one_pass(text: str, loader: Any) -> None:
    ours = built(text, loader)
    assert ours is not yamldoc.UNSURE
    same(ours, yaml.load(text, Loader=loader))


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("text", ASIDE.values(), ids=ASIDE.keys())
def test_anything_else_steps_aside_for_the_usual_load(text: str, loader: Any) -> None:
    assert built(text, loader) is yamldoc.UNSURE
    try:
        theirs = yaml.load(text, Loader=loader)
    except (yaml.YAMLError, ValueError) as exc:
        with pytest.raises(type(exc)):
            yamldoc.load(text, "a.yaml", MAX_DEPTH, MAX_ALIAS_NODES)
    else:
        same(yamldoc.load(text, "a.yaml", MAX_DEPTH, MAX_ALIAS_NODES), theirs)


def test_an_alias_is_the_same_object_as_its_anchor() -> None:
    """As the safe loader shares it (the ref checker walks a shared node once)."""
    doc = built("a: &x {type: string}\nb: [*x]\n")
    assert doc["b"][0] is doc["a"]


@pytest.mark.parametrize(
    "text, words",
    [
        ("x: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested"),
        ("a: &a [1]\nb: &b [*a, *a]\n" + "c: [" + ", ".join(["*b"] * 10) + "]\n", ""),
        ("openapi: 3.1.0\na: &x [*x]\n", "alias"),
        # The bound is checked past a place the builder stepped aside at.
        ("a: !!str x\nb: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested"),
    ],
    ids=["deep", "small-aliases", "self-alias", "deep-after-a-tag"],
)
def test_bounds_hold_on_the_one_pass(text: str, words: str) -> None:
    if not words:  # well under the bound: loads
        assert parse_text(text.encode(), "a.yaml")["c"][0][0] == [1]
        return
    with pytest.raises(SpecError, match=words):
        parse_text(text.encode(), "a.yaml")


def test_alias_expansion_bound_counts_the_same_way() -> None:
    layers = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        layers.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(SpecError, match="aliases expand"):
        parse_text("\n".join(layers).encode(), "a.yaml")


def test_without_libyaml_the_pure_loader_builds_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (ROOT / "spec" / "meeting-baas-v2.yaml").read_text("utf-8")
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    same(
        yamldoc.load(text, "a.yaml", MAX_DEPTH, MAX_ALIAS_NODES),
        yaml.load(text, Loader=yaml.SafeLoader),
    )


_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
)
_docs = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(doc=_docs, flow=st.sampled_from([None, True, False]))
def test_dumped_documents_are_built_as_loaded(doc: Any, flow: bool | None) -> None:
    text = yaml.safe_dump({"d": doc}, default_flow_style=flow, allow_unicode=True)
    ours = built(text, LOADERS[-1])
    assert ours is not yamldoc.UNSURE
    same(ours, yaml.load(text, Loader=LOADERS[-1]))
