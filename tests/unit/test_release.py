"""The release recipe: the workflow is valid and builds, self-tests and uploads on Windows and macOS; the Inno
Setup script has what a per-machine install needs (its compiler is not available here, so its fields are read)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
ISS = ROOT / "installer" / "kim-desk.iss"


def _schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with its bundled copy of SchemaStore's GitHub workflow schema (no network)."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_workflow_passes_the_github_workflow_schema() -> None:
    result = _schema_check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [("runs-on:", "run-on:"), ("timeout-minutes: 60", "timeout-minutes: soon"), ("uses: actions/checkout", "use: x")],
)
def test_schema_check_catches_a_broken_workflow(tmp_path: Path, old: str, new: str) -> None:
    broken = tmp_path / "release.yml"
    broken.write_text(WORKFLOW.read_text("utf-8").replace(old, new, 1), "utf-8")
    result = _schema_check(broken)
    assert result.returncode == 1
    assert "Schema validation errors were encountered" in result.stdout


def _workflow() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(WORKFLOW.read_text("utf-8"))
    return data


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_workflow_builds_self_tests_and_uploads_on_windows_and_macos() -> None:
    job = _workflow()["jobs"]["bundle"]
    assert job["strategy"]["matrix"]["os"] == ["windows-latest", "macos-latest"]
    assert job["runs-on"] == "${{ matrix.os }}"
    runs = _runs(job)
    assert "pip install --require-hashes -r requirements.lock" in runs
    assert "pip install --no-deps -e ." in runs
    assert "pyinstaller --noconfirm --clean build_installer.spec" in runs
    assert "dist/kim-desk/kim-desk-console self-test" in runs
    assert "kim_desk.__version__" in runs
    names = [step.get("name", "") for step in job["steps"]]
    assert names.index("Build the bundle") < names.index("Self-test of the bundle")
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["if-no-files-found"] == "error"
    assert "setup.exe" in upload["with"]["path"] and ".tar.gz" in upload["with"]["path"]


def test_workflow_passes_the_package_version_to_the_installer() -> None:
    job = _workflow()["jobs"]["bundle"]
    step = next(step for step in job["steps"] if "ISCC.exe" in step.get("run", ""))
    assert step["if"] == "runner.os == 'Windows'"
    assert step["env"]["APP_VERSION"] == "${{ steps.version.outputs.version }}"
    assert '"/DAppVersion=$env:APP_VERSION" installer\\kim-desk.iss' in step["run"]


def _iss() -> tuple[list[str], dict[str, list[str]]]:
    """(preprocessor lines, {section: entries}) of the Inno Setup script, comments left out."""
    preprocessor: list[str] = []
    sections: dict[str, list[str]] = {}
    current = None
    for raw in ISS.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("#"):
            preprocessor.append(line)
        elif re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections[current] = []
        else:
            assert current is not None, line
            sections[current].append(line)
    return preprocessor, sections


def _setup() -> dict[str, str]:
    return dict(line.split("=", 1) for line in _iss()[1]["Setup"])


def test_installer_is_per_machine_under_program_files() -> None:
    setup = _setup()
    assert setup["PrivilegesRequired"] == "admin"
    assert "PrivilegesRequiredOverridesAllowed" not in setup  # no per-user variant
    assert setup["DefaultDirName"] == r"{autopf}\KIM Desk"
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["AppId"])
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"


def test_installer_version_comes_from_the_command_line() -> None:
    preprocessor, _sections = _iss()
    assert preprocessor[0] == "#ifndef AppVersion" and preprocessor[1].startswith("#error")
    setup = _setup()
    assert setup["AppVersion"] == "{#AppVersion}"
    assert setup["OutputBaseFilename"] == "kim-desk-{#AppVersion}-setup"


def test_installer_ships_the_bundle_with_a_start_menu_entry() -> None:
    preprocessor, sections = _iss()
    assert '#define SourceDir "..\\dist\\kim-desk"' in preprocessor
    assert sections["Files"] == [
        r'Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs'
    ]
    icons = sections["Icons"]
    assert len(icons) == 1 and icons[0].startswith(r'Name: "{autoprograms}\KIM Desk"; Filename: "{app}\kim-desk.exe"')
    launch = sections["Run"][0]
    assert "runasoriginaluser" in launch  # the first start is not the administrator's


def test_uninstaller_keeps_the_data_folder() -> None:
    _preprocessor, sections = _iss()
    assert "UninstallDelete" not in sections and "InstallDelete" not in sections and "Code" not in sections
    entries = "\n".join(line for lines in sections.values() for line in lines).lower()
    for data_place in ("{localappdata}", "{userappdata}", "{%localappdata", "{commonappdata}", "backups"):
        assert data_place not in entries
