"""The Jinja templates, compiled ahead of time and shipped with sdkgen, so that a
first run (an empty user cache, as on a fresh CI machine) does not compile them.

``precompiled.json`` maps the sha1 of each template's source (Jinja's own
bytecode-cache checksum) to the Python code Jinja makes of it. A template whose
source no longer matches is simply compiled as before (and kept in the user
cache), so a stale file costs time, never correctness; ``tests/test_precompiled.py``
holds the file to ``templates/``. Rewrite it with
``python -m generator.emit.precompiled``.

What it saves (CPU time, median of 7): loading every template takes 0.02 s
from here against 0.11 s compiling them, ~15% of a cold run of the bundled
spec (~0.6 s).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jinja2

SHIPPED = Path(__file__).with_name("precompiled.json")


@cache
def shipped() -> dict[str, str]:
    """checksum -> Python source; empty when the file is missing or unreadable."""
    try:
        data = json.loads(SHIPPED.read_text("utf-8"))
        assert data.get("jinja2") == jinja2.__version__
        code = data["code"]
        assert isinstance(code, dict)
        return {str(k): str(v) for k, v in code.items()}
    except (OSError, ValueError, AssertionError, KeyError, AttributeError):
        return {}


class ShippedFirst(jinja2.BytecodeCache):
    """Serves shipped code for templates that match it; the rest goes to
    ``fallback`` (the user cache), as without this class. Shipped code, once
    compiled, is kept in ``fallback`` too: loading it from there is ~30x
    cheaper than compiling it again on the next run."""

    def __init__(self, fallback: jinja2.BytecodeCache | None) -> None:
        self.fallback = fallback

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if self.fallback is not None:
            self.fallback.load_bytecode(bucket)  # jinja checks its checksum
            if bucket.code is not None:
                return
        source = shipped().get(bucket.checksum)
        if source is not None:
            bucket.code = compile(source, "<sdkgen template>", "exec")
            if self.fallback is not None:
                self.fallback.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if self.fallback is not None:
            self.fallback.dump_bytecode(bucket)


def template_names(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.j2")
        if p.relative_to(root).parts[0] != "runtime"
    )


def build(env: jinja2.Environment, root: Path) -> dict[str, str]:
    """checksum -> compiled Python source of every template under ``root``."""
    out: dict[str, str] = {}
    for name in template_names(root):
        source = (root / name).read_bytes().decode("utf-8")  # as Jinja reads it
        checksum = jinja2.BytecodeCache().get_source_checksum(source)
        out[checksum] = env.compile(source, name, name, raw=True)
    return dict(sorted(out.items()))


def text(env: jinja2.Environment, root: Path) -> str:
    body = {"jinja2": jinja2.__version__, "code": build(env, root)}
    return json.dumps(body, indent=1, sort_keys=True) + "\n"


def main() -> None:
    from .render import plain_environment
    from .runtimeapi import templates_dir

    SHIPPED.write_text(text(plain_environment(), templates_dir()), "utf-8")
    print(f"{SHIPPED}: written")


if __name__ == "__main__":
    main()
