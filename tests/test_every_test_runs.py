"""Every test module in the tree is collected, and has tests in it.

A test module outside pyproject's testpaths, or one whose tests pytest does
not recognise (a class not named Test… that is no TestCase, say), passes in
silence: nothing of it ever runs. This asks pytest itself what it collects.
"""

import os
import subprocess
import sys
import tomllib
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not ours, or made by tools; the project's own code is everywhere else.
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "__pycache__", "staticfiles", "media", "var"}


def pytest_options():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]


def modules_named_like_tests():
    patterns = pytest_options()["python_files"]
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS]
        for name in files:
            if any(fnmatch(name, pattern) for pattern in patterns):
                yield Path(folder, name).relative_to(ROOT).as_posix()


def collected_tests_per_module():
    # A pytest of its own, in one process, only listing the tests: none of
    # the parent's xdist worker variables, nor PYTEST_ADDOPTS (a -k there
    # would leave tests out of the list).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return Counter(line.split("::")[0] for line in result.stdout.splitlines() if "::" in line)


def test_every_test_module_is_in_testpaths_and_has_tests_that_pytest_collects():
    testpaths = pytest_options()["testpaths"]
    collected = collected_tests_per_module()
    problems = []
    for module in sorted(modules_named_like_tests()):
        if not any(module.startswith(f"{path}/") for path in testpaths):
            problems.append(f"{module} lies outside testpaths {testpaths} (pyproject.toml)")
        elif not collected[module]:
            problems.append(f"{module} has no test that pytest collects")
    assert not problems, "\n".join(problems)
    assert sum(collected.values()) > 400  # The whole suite, not an empty listing.
