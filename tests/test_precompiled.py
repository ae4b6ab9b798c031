"""The Jinja templates shipped compiled (generator/emit/precompiled.py)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.emit import precompiled
from generator.emit.render import environment, plain_environment
from generator.emit.runtimeapi import templates_dir


def test_the_shipped_code_is_what_jinja_makes_of_templates() -> None:
    fresh = precompiled.text(plain_environment(), templates_dir())
    assert precompiled.SHIPPED.read_text("utf-8") == fresh, (
        "templates/ changed: run `python -m generator.emit.precompiled`"
    )
    names = precompiled.template_names(templates_dir())
    assert len(precompiled.shipped()) == len(names) > 10


def test_every_template_is_served_from_the_shipped_code() -> None:
    env = environment()
    cache = env.bytecode_cache
    assert isinstance(cache, precompiled.ShippedFirst)
    for name in precompiled.template_names(templates_dir()):
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        bucket = cache.get_bucket(env, name, filename, source)
        assert bucket.code is not None, name


def test_a_changed_template_is_compiled_as_before(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("{{ x }} and more\n")
    cache = precompiled.ShippedFirst(None)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache
    )
    assert env.get_template("t.j2").render(x=1) == "1 and more"
    bucket = cache.get_bucket(env, "t.j2", None, "{{ x }} and more\n")
    assert bucket.code is None  # not shipped: Jinja compiled it


def test_shipped_code_is_kept_in_the_user_cache_for_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = plain_environment(
        precompiled.ShippedFirst(jinja2.FileSystemBytecodeCache(str(tmp_path)))
    )
    names = precompiled.template_names(templates_dir())
    for name in names:
        first.get_template(name)
    assert len(list(tmp_path.iterdir())) == len(names)
    # The next run: served from the user cache, with nothing compiled.
    monkeypatch.setattr(precompiled, "shipped", lambda: {})
    monkeypatch.setattr(precompiled, "compile", _no_compile, raising=False)
    cache = precompiled.ShippedFirst(jinja2.FileSystemBytecodeCache(str(tmp_path)))
    env = plain_environment(cache)
    for name in names:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        assert cache.get_bucket(env, name, filename, source).code is not None, name


def _no_compile(*args: object) -> None:
    raise AssertionError("compiled again")
