"""No import cycles inside the Qt-free packages, not even behind function-local imports.

grimp reads every import statement in a module, wherever it sits (module level, inside a
function, under TYPE_CHECKING), so a cycle hidden in a function body is found like any
other. A cycle is reported as its chain of imports with the line of each, so the message
says which import to move.
"""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import grimp
import pytest

PACKAGES = ("core", "storage", "exchange", "messaging", "printing", "reminders")


def _edges(graph: grimp.ImportGraph, modules: set[str]) -> dict[str, set[str]]:
    return {
        m: {d for d in graph.find_modules_directly_imported_by(m) if d in modules and d != m}
        for m in modules
    }


def _components(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
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
                    found.append(sorted(component))
    return found


def _shortest_loop(edges: dict[str, set[str]], start: str) -> list[str]:
    """The shortest chain of imports from `start` back to itself."""
    paths = {d: [start, d] for d in sorted(edges[start])}
    queue = list(paths)
    while queue:
        node = queue.pop(0)
        if node == start:
            return paths[node]
        for nxt in sorted(edges[node]):
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return [start]


def describe_cycles(graph: grimp.ImportGraph, package: str) -> list[str]:
    """Each cycle among `package`'s modules, as "a -> b (line 12) -> a (line 40)"."""
    modules = {m for m in graph.modules if m == package or m.startswith(package + ".")}
    edges = _edges(graph, modules)
    described = []
    for component in _components(edges):
        loop = _shortest_loop(edges, component[0])
        steps = [loop[0]]
        for importer, imported in itertools.pairwise(loop):
            details = graph.get_import_details(importer=importer, imported=imported)
            lines = ", ".join(str(d["line_number"]) for d in details) or "?"
            steps.append(f"{imported} (imported by line {lines} of {importer})")
        described.append(" -> ".join(steps) + f"  [all in the cycle: {', '.join(component)}]")
    return described


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("deckfollow", cache_dir=None)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle_inside_the_package(graph: grimp.ImportGraph, package: str) -> None:
    cycles = describe_cycles(graph, f"deckfollow.{package}")
    assert not cycles, f"import cycles in deckfollow.{package}:\n" + "\n".join(cycles)


def _write_package(root: Path, name: str, files: dict[str, str]) -> None:
    pkg = root / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for module, source in files.items():
        (pkg / f"{module}.py").write_text(textwrap.dedent(source))


def _cycles_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, files: dict[str, str]
) -> list[str]:
    _write_package(tmp_path, name, files)
    monkeypatch.syspath_prepend(str(tmp_path))
    return describe_cycles(grimp.build_graph(name, cache_dir=None), name)


def test_a_cycle_behind_a_function_local_import_is_found_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cycles = _cycles_of(
        tmp_path,
        monkeypatch,
        "loopy",
        {
            "rules": """
                from loopy.services import helper

                def rule():
                    return helper()
            """,
            "services": """
                def helper():
                    return 1

                def act():
                    from loopy.rules import rule  # hidden from a module-level reading

                    return rule()
            """,
            "plain": "import loopy.rules\n",
        },
    )
    assert len(cycles) == 1
    assert "loopy.rules -> loopy.services (imported by line 2 of loopy.rules)" in cycles[0]
    assert "-> loopy.rules (imported by line 6 of loopy.services)" in cycles[0]
    assert "loopy.plain" not in cycles[0]


def test_a_package_without_cycles_reports_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "a": "from straight import b\n",
        "b": "def f():\n    from straight import c\n",
        "c": "",
    }
    assert _cycles_of(tmp_path, monkeypatch, "straight", files) == []
