"""What differs on Windows, held by reading the code: every platform branch has its simulated test, text files
name their encoding (Windows would use the ANSI code page), and files leave the desk as bytes (no newline
translation)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kim_desk"

# Every place kim_desk asks which platform it runs on, and the test that runs each branch by simulating it.
PLATFORM_BRANCHES = {
    "kim_desk/paths.py": 2,  # test_platform_windows: test_*_data_folder_*
    "kim_desk/fileutil.py": 3,  # test_platform_windows: restrict, fsync_directory, replace_file
    "kim_desk/vault.py": 1,  # test_platform_windows: the Credential Manager and Keychain tests
    "kim_desk/commands/selftest_platform.py": 1,  # test_platform_windows: test_self_test_*
}
# Text written with newline translation: a crash report for people to read, where CRLF on Windows is right.
TEXT_WRITES = {"kim_desk/logs.py"}


def _modules() -> list[tuple[str, ast.Module]]:
    return [(str(path.relative_to(ROOT)), ast.parse(path.read_text("utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))]


def _is_platform_question(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return (node.value.id, node.attr) in {("sys", "platform"), ("os", "name")}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
        return (node.func.value.id, node.func.attr) in {("platform", "system"), ("platform", "platform")}
    return False


def test_every_platform_branch_is_known_and_simulated() -> None:
    found = Counter(name for name, tree in _modules() for node in ast.walk(tree) if _is_platform_question(node))
    assert dict(found) == PLATFORM_BRANCHES, (
        "a platform branch was added or removed: simulate it in tests/unit/test_platform_windows.py "
        "and update PLATFORM_BRANCHES"
    )


def _text_mode(call: ast.Call) -> str | None:
    """'r'/'w'/... when the call opens or reads/writes a file as text, else None."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name in ("read_text", "write_text"):
        return "r" if name == "read_text" else "w"
    os_call = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "os"
    if name != "open" or os_call:
        return None
    args = call.args[1:] if isinstance(func, ast.Name) else call.args
    mode_arg = next((kw.value for kw in call.keywords if kw.arg == "mode"), args[0] if args else None)
    if mode_arg is None:
        return "r" if isinstance(func, ast.Name) else None  # Path.open() without mode; other .open() are not files
    if isinstance(mode_arg, ast.Constant) and isinstance(mode_arg.value, str):
        return None if "b" in mode_arg.value else mode_arg.value
    return None


def _names_encoding(call: ast.Call) -> bool:
    if any(kw.arg == "encoding" for kw in call.keywords):
        return True
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else ""
    return (name == "read_text" and len(call.args) >= 1) or (name == "write_text" and len(call.args) >= 2)


def _text_calls() -> list[tuple[str, int, str, bool]]:
    calls = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (mode := _text_mode(node)) is not None:
                calls.append((name, node.lineno, mode, _names_encoding(node)))
    return calls


def test_text_files_name_their_encoding() -> None:
    calls = _text_calls()
    assert len(calls) > 5  # the scan finds the catalogue and template readers
    assert [(name, line) for name, line, _mode, named in calls if not named] == []


def test_files_leave_the_desk_as_bytes() -> None:
    writers = {name for name, _line, mode, _named in _text_calls() if set(mode) & set("wax+")}
    assert writers == TEXT_WRITES, "write exported files as bytes (fileutil.write_atomic): no newline translation"
