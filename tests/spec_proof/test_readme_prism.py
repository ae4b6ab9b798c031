"""Every ```python block of the generated README, run unmodified as a program
against Prism mocking the bundled spec.

Each block is written to its own file and run in a fresh interpreter with the
committed SDK on the path and only environment variables set (the API key,
``MEETING_BAAS_BASE_URL`` pointing at Prism, the webhook secrets): a block
that uses a name it never defines, or fails against the API's own examples,
exits non-zero. Blocks are run as modules (``run_name="readme"``), so that a
webhook app's ``if __name__ == "__main__":`` server is defined but not
started. tests/runtime/test_readme_examples.py checks what each block does;
test_readme_typing.py checks them with ``mypy --strict``.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..runtime.test_readme_examples import BLOCKS, README
from .prism import prism_mock

pytestmark = pytest.mark.prism

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "meeting-baas-v2.yaml"
RUN = "import runpy, sys; runpy.run_path(sys.argv[1], run_name='readme')"


def test_every_readme_block_runs_against_prism(tmp_path: Path) -> None:
    assert len(BLOCKS) >= 10
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(README.parent),
        "MEETING_BAAS_API_KEY": "mb-prism-key-0123456789",
        "MEETING_BAAS_WEBHOOK_SECRET": "whsec_"
        + base64.b64encode(b"prism-readme-secret-0123456789").decode(),
        "MEETING_BAAS_CALLBACK_SECRET": "callback-secret",
    }
    failures: list[str] = []
    with prism_mock(SPEC, tmp_path / "prism.log") as url:
        env["MEETING_BAAS_BASE_URL"] = url
        for name, code in sorted(BLOCKS.items()):
            if name.startswith("the-v1-api"):  # Prism serves the v2 spec only
                continue
            path = tmp_path / f"{name}.py"
            path.write_text(code)
            result = subprocess.run(
                [sys.executable, "-c", RUN, str(path)],
                capture_output=True,
                text=True,
                env=env,
                cwd=tmp_path,
                timeout=60,
                check=False,
            )
            if result.returncode != 0:
                failures.append(f"{name}:\n{result.stderr[-1500:]}")
    assert not failures, "\n\n".join(failures)
