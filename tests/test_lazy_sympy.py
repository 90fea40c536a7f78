"""The command line's stand-in for sympy's tensor module: nothing loads it, nothing changes, tensors still work.

Each check runs in a fresh Python process: the stand-in changes `sys.modules`, and this test process must
keep the sympy it has.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def python(code: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=environment, check=False
    )


def test_sums_need_no_tensor_module_and_tensors_still_work() -> None:
    done = python(
        """
        import sys
        from bptutor.derive.lazy_sympy import TENSOR_MODULE, DeferredTensorModule, defer_tensor_module
        defer_tensor_module()
        import sympy
        x, y = sympy.symbols("x y")
        total = sympy.diff(sympy.exp(x) * y + x**2 + 1, x) + y
        assert total == sympy.exp(x) * y + 2 * x + y, total
        assert isinstance(sys.modules[TENSOR_MODULE], DeferredTensorModule)
        assert "sympy.combinatorics" not in sys.modules
        from sympy.tensor.tensor import TensorHead, TensorIndexType, tensor_indices  # a real name: the real module
        assert not isinstance(sys.modules[TENSOR_MODULE], DeferredTensorModule)
        L = TensorIndexType("L")
        i = tensor_indices("i", L)
        A = TensorHead("A", [L])
        assert type(A(i) + A(i)).__name__ == "TensMul"  # Add.flatten now meets a real tensor, and adds it
        assert type(A(i) + 2 * A(i) + x * A(i)).__name__ in ("TensMul", "TensAdd")
        print("ok")
        """
    )
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


def test_a_tensor_module_already_loaded_is_left_alone() -> None:
    done = python(
        """
        import sys
        import sympy.tensor.tensor as real
        from bptutor.derive.lazy_sympy import TENSOR_MODULE, defer_tensor_module
        defer_tensor_module()
        assert sys.modules[TENSOR_MODULE] is real
        print("ok")
        """
    )
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


COMMANDS = [
    pytest.param(["explain", "w1"], id="explain w1"),
    pytest.param(["solve", "two_two_two", "--format", "md"], id="solve two_two_two --format md"),
    *(
        pytest.param(arguments, id=" ".join(arguments), marks=pytest.mark.slow)  # half a second each
        for arguments in (
            ["explain", "w5", "--lang", "zh"],
            ["solve", "softmax_two_layer", "--format", "tex", "--jacobian"],
            ["explain", "w1", "--scenario", "softmax_two_layer", "--jacobian"],
            ["explain", "x", "--scenario", "circuit"],
        )
    ),
]


@pytest.mark.parametrize("arguments", COMMANDS)
def test_the_command_line_prints_what_it_prints_with_sympy_whole(arguments: list[str]) -> None:
    """`python -m bptutor` (the stand-in in place, sympy's tensor module never loaded) prints byte for byte
    what the same command prints in this process, whose sympy is whole."""
    environment = {**os.environ, **ENVIRONMENT, "PYTHONPATH": str(ROOT)}
    check = "import sys, runpy; runpy.run_module('bptutor', run_name='__main__')"
    probe = (
        "import atexit, sys; atexit.register(lambda: sys.stderr.write("
        "'\\ntensor module loaded\\n' if 'sympy.combinatorics' in sys.modules else ''))"
    )
    done = subprocess.run(
        [sys.executable, "-c", f"{probe}; {check}", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
    )
    here = CliRunner().invoke(app, arguments, env=ENVIRONMENT)
    assert done.returncode == here.exit_code == 0, (done.stderr, here.output)
    assert done.stdout == here.stdout
    assert "tensor module loaded" not in done.stderr
