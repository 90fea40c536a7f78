"""sympy's addition without loading sympy's tensor module: for the command line's start-up.

The first time sympy adds anything, `Add.flatten` imports `sympy.tensor.tensor`, only to ask of each
term whether it is a tensor expression. That module imports `sympy.combinatorics`, which builds its
polyhedra as it loads: about 25 ms of CPU, a fifth of what `explain` spends beyond importing sympy.
No bptutor command makes a tensor.

`defer_tensor_module` puts a stand-in under that module's name. It answers the two names `Add.flatten`
asks for (`TensExpr`, `TensAdd`) with classes that nothing is an instance of; nothing can be, since a
tensor is only made by the real module. Any other name imports the real module, which takes the
stand-in's place for good. Only `bptutor.cli.app.main` installs it, in bptutor's own process: the API
never does, so a program that uses sympy's tensors beside bptutor finds sympy as it always is.

This module does not import sympy.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

TENSOR_MODULE = "sympy.tensor.tensor"


class _NoTensorExpression:
    """Stands for sympy's TensExpr while the real module is not loaded: no object is an instance of it."""


class _NoTensorSum:
    """Stands for sympy's TensAdd likewise (`Add.flatten` makes one only from a tensor expression)."""


class DeferredTensorModule(ModuleType):
    """The stand-in for `sympy.tensor.tensor` (see the module's docstring)."""

    TensExpr = _NoTensorExpression
    TensAdd = _NoTensorSum

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") and name.endswith("__"):  # asked by the import system (`__path__`: a package?)
            raise AttributeError(name)
        return getattr(load_tensor_module(), name)


def load_tensor_module() -> ModuleType:
    """The real `sympy.tensor.tensor`, imported now if only the stand-in was there."""
    if isinstance(sys.modules.get(TENSOR_MODULE), DeferredTensorModule):
        del sys.modules[TENSOR_MODULE]
    return importlib.import_module(TENSOR_MODULE)


def defer_tensor_module() -> None:
    """Put the stand-in in place, unless sympy's tensor module is already loaded."""
    sys.modules.setdefault(TENSOR_MODULE, DeferredTensorModule(TENSOR_MODULE))


__all__ = ["TENSOR_MODULE", "DeferredTensorModule", "defer_tensor_module", "load_tensor_module"]
