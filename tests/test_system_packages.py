"""`make test` on a machine that lacks what the browser tests need beyond Python: it stops
at once with the command to run (tools/system_packages.sh), before any test starts."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tools.server import BASE_DIR

SCRIPT = BASE_DIR / "tools" / "system_packages.sh"
NEEDED = ["chromium", "nginx", "openssl", "pdftoppm"]


def machine(tmp_path, programs, uid):
    """A PATH holding only the shell's own tools, `programs` (as stubs) and an `id` that
    answers `uid`; no sbin folders."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("bash", "env"):
        (folder / tool).symlink_to(shutil.which(tool))
    stubs = dict.fromkeys(programs, "#!/bin/sh\nexit 0\n")
    stubs["id"] = f"#!/bin/sh\necho {uid}\n"
    for name, text in stubs.items():
        stub = folder / name
        stub.write_text(text)
        stub.chmod(0o755)
    return {"PATH": str(folder), "SBIN_DIRS": str(tmp_path / "no-sbin")}


def run(env):
    return subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )


def test_without_nginx_a_user_is_told_the_one_command_and_nothing_runs(tmp_path):
    env = machine(tmp_path, [program for program in NEEDED if program != "nginx"], uid=1000)

    result = run(env)

    assert result.returncode == 1
    assert "The tests need nginx, which this machine lacks." in result.stderr
    assert "sudo apt-get install -y --no-install-recommends nginx" in result.stderr


def test_every_missing_package_is_named_in_one_line(tmp_path):
    result = run(machine(tmp_path, [], uid=1000))

    assert result.returncode == 1
    assert "apt-get install -y --no-install-recommends chromium nginx openssl poppler-utils" in (
        result.stderr
    )


def test_root_without_apt_get_is_told_too_instead_of_failing_half_way(tmp_path):
    result = run(machine(tmp_path, ["chromium", "openssl", "pdftoppm"], uid=0))

    assert result.returncode == 1
    assert "nginx" in result.stderr


def test_a_chromium_named_in_chromium_path_will_do(tmp_path):
    env = machine(tmp_path, ["nginx", "openssl", "pdftoppm"], uid=1000)
    browser = tmp_path / "my-chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)

    assert run({**env, "CHROMIUM_PATH": str(browser)}).returncode == 0


def test_a_machine_with_everything_goes_straight_on(tmp_path):
    result = run(machine(tmp_path, NEEDED, uid=1000))

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_test_checks_before_anything_else_unless_browser_tests_are_skipped():
    def planned(*args):
        env = {**os.environ, "MAKEFLAGS": ""}
        result = subprocess.run(
            ["make", "--no-print-directory", "-n", "test", *args],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        return result.stdout.splitlines()

    assert planned()[0] == "tools/system_packages.sh"
    assert "tools/system_packages.sh" not in planned("PYTEST_ARGS=-m 'not browser'")
    assert Path(SCRIPT).stat().st_mode & 0o111
