"""The two packages keep to their jobs: no import circle (lazy imports included), neither imports the
other, the renderer and the OpenAI backend run without torch, and the helpers' core imports no view."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGES = ("helpers", "qmdrender")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in (SRC / package).rglob("*.py")}


def _imports(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """Every project module ``path`` imports, at the top, inside functions or under TYPE_CHECKING."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from package import module`` imports the module; ``from module import name``, the module
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, name, known) for name, path in known.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph.get(node, ()):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_import_graph_is_read_from_the_source():
    graph = _graph()
    assert "qmdrender.formats" in graph["qmdrender.formats.html"]
    assert "helpers.core" in graph["helpers.tables"]
    assert "helpers.backends.openai_api" in graph["helpers.backends"]  # a lazy import, inside a function
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]  # the check can fail


def test_no_import_circle_anywhere_lazy_imports_included():
    assert _cycles(_graph()) == []


def test_the_two_packages_do_not_import_each_other():
    crossing = [(module, target) for module, targets in _graph().items() for target in targets
                if module.split(".")[0] != target.split(".")[0]]
    assert crossing == []


def test_the_helpers_core_imports_neither_torch_nor_a_view():
    graph = _graph()
    assert graph["helpers.core"] == set()
    views = {"helpers.tables", "helpers.heatmap", "helpers.surprisal", "helpers.plots"}
    assert not (graph["helpers.metrics"] & views)
    source = (SRC / "helpers" / "core.py").read_text(encoding="utf-8")
    assert "torch" not in {alias.split(".")[0] for node in ast.walk(ast.parse(source))
                           if isinstance(node, ast.Import | ast.ImportFrom)
                           for alias in ([a.name for a in node.names] if isinstance(node, ast.Import)
                                         else [node.module or ""])}


BLOCK_TORCH = "import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None; "


@pytest.mark.parametrize("module", ["qmdrender.cli", "qmdrender.lab", "qmdrender.grid", "helpers.backends.openai_api",
                                    "helpers.core", "helpers.metrics", "helpers.tables", "helpers.heatmap",
                                    "helpers.surprisal", "helpers.plots"])
def test_imports_without_torch(module):
    done = subprocess.run([sys.executable, "-c", f"{BLOCK_TORCH}import {module}"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_importing_torch_is_really_blocked_in_those_checks():
    done = subprocess.run([sys.executable, "-c", f"{BLOCK_TORCH}import helpers.generation"], capture_output=True,
                          text=True)
    assert done.returncode != 0 and "torch" in done.stderr


def test_the_renderer_renders_without_torch(tmp_path):
    document = Path(__file__).parent / "documents" / "text_only.qmd"
    code = f"{BLOCK_TORCH}from qmdrender.cli import main; sys.exit(main([{str(document)!r}, '--output-dir', " \
           f"{str(tmp_path)!r}, '--engine', 'embedded']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "No code here" in (tmp_path / "text_only.html").read_text(encoding="utf-8")


def test_python_m_helpers_render_still_runs_the_renderer(tmp_path):
    document = Path(__file__).parent / "documents" / "text_only.qmd"
    done = subprocess.run([sys.executable, "-m", "helpers.render", str(document), "--output-dir", str(tmp_path),
                           "--engine", "embedded"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "text_only.html").is_file()
    failed = subprocess.run([sys.executable, "-m", "helpers.render", str(tmp_path / "missing.qmd"), "--engine",
                             "embedded"], capture_output=True, text=True)
    assert failed.returncode == 1 and "no such document" in failed.stderr


def test_the_renderers_own_tests_run_without_torch(tmp_path):
    tests = Path(__file__).parent
    files = [str(tests / name) for name in ("test_render_stages.py", "test_qmd_reader.py",
                                            "test_extension_points.py", "test_single_sources.py")]
    code = (f"{BLOCK_TORCH}import pytest; sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', "
            f"'--basetemp', {str(tmp_path / 'nested')!r}, *{files!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tests.parent,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and "error" not in done.stdout.splitlines()[-1]
