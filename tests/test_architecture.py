"""The shape of the code, checked: the core never imports Textual, nothing imports in a circle, and
no analysis module grows past what one reader can hold.

The import graph is read with ``ast`` from every import statement in every module under
``src/sessionnotes`` (module level, inside functions and under ``TYPE_CHECKING`` alike), because a
circle held together by a function-local import is still a circle for whoever changes the code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import sessionnotes

PACKAGE_ROOT = Path(sessionnotes.__file__).resolve().parent
CORE = ("domain", "vault", "analysis", "export")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports, by any import statement anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # "from pkg import submodule" depends on the submodule; "from pkg import name" on pkg
            for alias in node.names:
                submodule = f"{prefix}.{alias.name}"
                targets.add(submodule if submodule in known else prefix)
    edges = set()
    for target in targets:
        # a name imported from a package is an edge to that module if it is one, else to the package
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            edges.add(target)
    return edges


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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
    return components


def test_the_cycle_finder_finds_a_planted_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_function_local_and_relative_imports():
    graph = import_graph()
    # cli.py imports most of its verbs' modules inside functions; the graph must see them
    assert "sessionnotes.vault.repository" in graph["sessionnotes.cli"] or any(
        target.startswith("sessionnotes.vault") for target in graph["sessionnotes.cli"]
    )
    assert any(target.startswith("sessionnotes.domain") for target in graph["sessionnotes.vault.repository"])


def test_no_import_cycle_inside_the_package():
    cycles = _cycles(import_graph())
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


@pytest.mark.parametrize("part", CORE)
def test_the_core_never_imports_the_ui_library(part):
    for path in sorted((PACKAGE_ROOT / part).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            for imported in names:
                assert imported.split(".")[0] not in ("textual", "rich"), f"{path.relative_to(PACKAGE_ROOT)} imports {imported}"
                assert not imported.startswith("sessionnotes.tui"), f"{path.relative_to(PACKAGE_ROOT)} imports the TUI"


def test_screens_tabs_and_dialogs_never_import_the_app():
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith("sessionnotes.tui.") and name not in ("sessionnotes.tui.app", "sessionnotes.tui.launch"):
            assert "sessionnotes.tui.app" not in targets, f"{name} imports the app module"


def test_no_analysis_module_grows_past_600_lines():
    too_long = {
        str(path.relative_to(PACKAGE_ROOT)): n
        for path in (PACKAGE_ROOT / "analysis").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert too_long == {}


INTERNAL_REFERENCE = re.compile(r"\b\d{3} L\d+|\bL\d{2,5}(?:-\d+)?\b|DOMAIN\.md|\bseeds?\b \d{3}|extraction §|seed extraction")


def test_sources_are_cited_by_author_and_year_not_by_internal_file_or_line():
    """Docstrings and user-facing text cite published work ("Balabanovic 2017, sub-category 7.3"),
    never the project's internal files or line numbers, which mean nothing to a reader."""
    offenders = []
    for path in sorted(PACKAGE_ROOT.rglob("*")):
        if path.suffix not in (".py", ".md", ".tcss", ".toml") or "__pycache__" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INTERNAL_REFERENCE.search(line):
                offenders.append(f"{path.relative_to(PACKAGE_ROOT)}:{number}: {line.strip()[:100]}")
    assert offenders == []


def test_the_reference_pattern_tells_citations_from_layers():
    assert INTERNAL_REFERENCE.search("(000 L2236)") and INTERNAL_REFERENCE.search("see DOMAIN.md")
    assert INTERNAL_REFERENCE.search("seed 004 (L932-944)")
    assert not INTERNAL_REFERENCE.search("L4-L5 items stay private (Balabanovic 2017, sub-category 7.3)")


def test_every_module_says_what_it_is_for():
    missing = [
        str(path.relative_to(PACKAGE_ROOT))
        for path in sorted(PACKAGE_ROOT.rglob("*.py"))
        if "__pycache__" not in path.parts and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert missing == []
