"""The layering of symann/ (docs/architecture.md) is enforced, not described.

* The import-linter contracts in pyproject.toml (``[tool.importlinter]``) hold: the layers
  from the CLI down to the foundations, rendering and grading independent of each other,
  neither importing the compiler.
* No module imports inside a function (or method): such an import only hides a cycle.
  ``if TYPE_CHECKING:`` blocks at module level are type hints, not imports at run time.

``PENDING_CONTRACT`` lists the violations left while grading/ is being restructured
(issue 10); a violation not listed fails. Empty it when they are gone.
"""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "symann"

#: (importer, imported module prefix) still to be removed by the grading work
PENDING_CONTRACT: set[tuple[str, str]] = set()


def _lint_imports() -> subprocess.CompletedProcess[str]:
    executable = shutil.which("lint-imports")
    if executable is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]'; .ci/run does)")
    return subprocess.run([executable, "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def _broken_imports(output: str) -> set[tuple[str, str]]:
    """The ``importer -> imported`` pairs lint-imports reports as breaking a contract."""
    return set(re.findall(r"^- (symann[\w.]*) -> (symann[\w.]*) \(l\.", output, re.MULTILINE))


def test_import_contracts_hold() -> None:
    result = _lint_imports()
    assert "Contracts:" in result.stdout, result.stdout + result.stderr
    broken = _broken_imports(result.stdout)
    unexpected = {(importer, imported) for importer, imported in broken
                  if not any(importer == pending_importer and imported.startswith(prefix)
                             for pending_importer, prefix in PENDING_CONTRACT)}
    assert not unexpected, result.stdout
    if not broken:
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_contracts_cover_every_module() -> None:
    """``exhaustive = true``: a new module must be given its layer (else lint-imports fails);
    check here that the contract file names every module and package of symann/."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    layers = re.search(r'type = "layers".*?layers = \[(.*?)\]', text, re.DOTALL)
    assert layers is not None
    named = set(re.findall(r"[\w.]+", layers.group(1)))
    present = {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    present |= {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert named == present


def _local_imports(tree: ast.Module) -> list[int]:
    """Line numbers of imports anywhere but at module level (``if``/``try`` blocks at module
    level, such as ``if TYPE_CHECKING:`` or a ``tomli`` fallback, are module level)."""
    lines: list[int] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)) and in_function:
                lines.append(child.lineno)
            nested = in_function or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
            visit(child, nested)

    visit(tree, False)
    return lines


def test_no_imports_inside_functions() -> None:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        lines = _local_imports(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if lines:
            found[relative] = lines
    assert not found, f"imports inside functions or classes (file: lines): {found}"


def test_the_scan_finds_a_local_import() -> None:
    tree = ast.parse("import os\nif True:\n    import re\n"
                     "def f():\n    from . import x\nclass C:\n    import sys\n")
    assert _local_imports(tree) == [5, 7]


def test_importing_symann_imports_no_cycle() -> None:
    """Each module imports on its own, in a fresh interpreter (a cycle hidden at module level
    would fail for some import order)."""
    modules = sorted(
        "symann." + path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        .removesuffix(".__init__") for path in PACKAGE.rglob("*.py")
        if path.name != "__main__.py")
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n" \
           "    for loaded in [m for m in sys.modules if m.startswith('symann')]:\n" \
           "        del sys.modules[loaded]\n    importlib.import_module(name)\n"
    result = subprocess.run([sys.executable, "-c", code, *modules], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
