from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from .targets import Spec, import_sdk


@pytest.fixture(scope="session")
def sdk_for(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Spec], ModuleType]:
    """Imports (generating first, for a published version) the SDK of a spec."""
    workdir: Path = tmp_path_factory.mktemp("sdks")
    return lambda spec: import_sdk(spec, workdir)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every spec-proof test is slow (a generated SDK per spec version, hypothesis
    draws, Prism): `pytest -m "not slow"` leaves them to CI."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.slow)
