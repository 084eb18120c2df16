"""The engine's shape, as README's Architecture section promises it: folders that are the pipeline
and import only downwards (import-linter's layers contract in pyproject.toml), modules a reader can
hold in their head, and no module reaching into another's private state."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import IN_CI, REPO

PACKAGE = REPO / "cchc"
MAX_LINES = 600


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_layers_contract_holds():
    exe = shutil.which("lint-imports")
    if exe is None:
        if IN_CI:
            pytest.fail("lint-imports is missing (pip install -e .[test])")
        pytest.skip("lint-imports is missing (pip install -e .[test])")
    run = subprocess.run([exe], cwd=REPO, capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "BROKEN" not in run.stdout and "0 broken" in run.stdout


def test_no_module_is_too_long_to_read():
    long = {p.relative_to(REPO).as_posix(): n for p in modules()
            if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_LINES}
    assert not long, f"split these modules (over {MAX_LINES} lines): {long}"


def _defined_names(tree: ast.Module) -> set[str]:
    """Every name a module defines: functions, classes, their methods and attributes set on self."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_no_module_uses_another_modules_private_names():
    """A `_name` belongs to its module: importing one from elsewhere, or reaching `obj._attr` of
    an object made by another module, couples the two behind the reader's back. (`_` alone is
    gettext's name for marking a message, cchc/core/messages.py: public by convention.)"""
    found = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = _defined_names(tree)
        rel = path.relative_to(REPO).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cchc"):
                found += [f"{rel}:{node.lineno}: imports {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__") and a.name != "_"]
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                    continue
                if node.attr not in own:
                    found.append(f"{rel}:{node.lineno}: uses .{node.attr}, which this module does not define")
    assert not found, "\n".join(found)


def test_the_package_imports_without_cycles_in_a_fresh_interpreter():
    """Every module imports on its own (an import cycle shows up as an ImportError here)."""
    names = [".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__") for p in modules()]
    code = "import importlib, sys\nfor n in sys.argv[1:]:\n    importlib.import_module(n)\n"
    for name in names:
        run = subprocess.run([sys.executable, "-c", code, name], cwd=REPO, capture_output=True, text=True)
        assert run.returncode == 0, f"{name}: {run.stderr[-1500:]}"
