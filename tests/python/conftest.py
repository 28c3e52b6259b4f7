"""Shared by the Python tests: the CLI binary of the same build, to compare against, and the
source tree's scenarios. ctest sets SUPPORTSIM_CLI, SUPPORTSIM_SOURCE_DIR and PYTHONPATH
(python/CMakeLists.txt); by hand:

    PYTHONPATH=build/release/python SUPPORTSIM_CLI=build/release/cli/supportsim \\
        python3 -m pytest tests/python
"""

import json
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(
    os.environ.get("SUPPORTSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2])
)
CLI = os.environ.get("SUPPORTSIM_CLI", str(SOURCE_DIR / "build/release/cli/supportsim"))


def cli(*args, check=True):
    """Runs the CLI like a user; returns the completed process (text)."""
    done = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"supportsim {' '.join(map(str, args))}: {done.stderr}")
    return done


def cli_json(*args):
    return json.loads(cli(*args, "--format", "json").stdout)


@pytest.fixture
def source_dir():
    return SOURCE_DIR
