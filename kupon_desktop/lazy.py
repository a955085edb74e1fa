"""Heavy modules imported on first use, so that the window appears before they load.

Used by the modules the window imports at start-up (``ui.models``, ``compose``).

``np = on_first_use("numpy", "np", globals())`` binds a stand-in that imports numpy when
one of its attributes is first read and then rebinds the module's global ``np`` to the
real module: later reads cost nothing extra. numpy, pandas and pyarrow together took
about 0.55 s of a 1.07 s start-up; the window's target is 0.5 s (benchmarks/README.md).
Annotations still name the real modules (``if TYPE_CHECKING: import numpy as np``).
"""

from __future__ import annotations

import importlib
from typing import Any


class _OnFirstUse:
    __slots__ = ("_alias", "_module", "_namespace")

    def __init__(self, module: str, alias: str, namespace: dict[str, Any]) -> None:
        self._module, self._alias, self._namespace = module, alias, namespace

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self._module)
        self._namespace[self._alias] = module
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<{self._module}, imported on first use>"


def on_first_use(module: str, alias: str, namespace: dict[str, Any]) -> Any:
    """A stand-in for ``module`` bound as ``alias`` in ``namespace`` (a ``globals()``)."""
    return _OnFirstUse(module, alias, namespace)


def package_exports(package: str, where: dict[str, str], namespace: dict[str, Any]) -> Any:
    """A package's module ``__getattr__`` loading its public names on first use:
    ``where`` maps each name to the submodule defining it. The value found is kept in
    ``namespace`` (the package's ``globals()``), so later reads cost nothing."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return __getattr__
