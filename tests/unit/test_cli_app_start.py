"""Starting the app through `kim-desk` parses only what a start accepts; everything else gets the full parser."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kim_desk.commands import parse
from kim_desk.errors import UsageError

PROBE = """
import sys
from kim_desk.commands import parse
args = parse(sys.argv[1:])
print(args.command, args.data_dir, getattr(args, "handler", None) is None)
print(" ".join(sorted(m for m in sys.modules if m.startswith("kim_desk.commands."))))
"""


@pytest.mark.parametrize(
    ("argv", "command", "data_dir"),
    [
        ([], "None", "None"),
        (["gui"], "gui", "None"),
        (["--data-dir", "/tmp/desk"], "None", "/tmp/desk"),
        (["--data-dir=/tmp/desk", "gui"], "gui", "/tmp/desk"),
        (["gui", "--data-dir", "/tmp/desk"], "gui", "/tmp/desk"),
    ],
)
def test_a_start_of_the_app_builds_no_sub_command(argv: list[str], command: str, data_dir: str) -> None:
    out = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True).stdout
    first, modules = out.splitlines()
    assert first == f"{command} {data_dir} True"
    assert modules.split() == ["kim_desk.commands.base"]  # no printing, stats, sync … parsers or their modules


def test_sub_commands_help_and_errors_still_go_through_the_full_parser(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse(["--data-dir", "/tmp/desk", "stats", "preview"])
    assert args.command == "stats" and args.data_dir == "/tmp/desk"
    with pytest.raises(SystemExit):
        parse(["--help"])
    assert "print" in capsys.readouterr().out  # the sub-commands are listed
    with pytest.raises(UsageError, match="kim-desk --help"):
        parse(["gui", "surplus"])
    with pytest.raises(UsageError):
        parse(["no-such-command"])
