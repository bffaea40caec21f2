"""DESIGN.md §2: layers point one way and no module imports itself in a circle.

Imports inside functions count: grimp reads every import statement of every module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _lint(package_parent: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=package_parent, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip


def _cycles(graph: grimp.ImportGraph, package: str = "kim_desk") -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    modules = sorted(m for m in graph.modules if m.startswith(package))
    edges = {m: sorted(t for t in graph.find_modules_directly_imported_by(m) if t.startswith(package)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in modules:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
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
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def test_no_import_circles_among_modules() -> None:
    graph = grimp.build_graph("kim_desk", cache_dir=None)
    assert _cycles(graph) == []


def test_cycle_finder_sees_a_planted_circle(tmp_path: Path) -> None:
    package = tmp_path / "circ"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from circ import b\n")
    (package / "b.py").write_text("from circ import a\n")
    sys.path.insert(0, str(tmp_path))
    try:
        graph = grimp.build_graph("circ", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    assert _cycles(graph, "circ") == [["circ.a", "circ.b"]]


@pytest.mark.slow
def test_layer_contract_holds_and_fails_on_a_planted_violation(tmp_path: Path) -> None:
    kept = _lint(ROOT)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    copy = tmp_path / "kim_desk"
    shutil.copytree(ROOT / "kim_desk", copy, ignore=shutil.ignore_patterns("__pycache__", "fonts", "_data"))
    audit = copy / "store" / "audit.py"
    # a store function that reaches up into the views, inside a function where nothing else would notice
    audit.write_text(audit.read_text() + "\n\ndef _planted() -> None:\n    from kim_desk.views import lists  # noqa\n")
    broken = _lint(tmp_path)
    assert broken.returncode != 0
    assert "kim_desk.store.audit -> kim_desk.views.lists" in broken.stdout
