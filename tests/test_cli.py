"""The one command: version, help, and a clear answer for every subcommand."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kupon_desktop import __version__
from kupon_desktop.cli import SUBCOMMANDS, build_parser, main


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"kupon-desktop {__version__}"


def test_every_subcommand_has_help():
    parser = build_parser()
    for name in SUBCOMMANDS:
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args([name, "--help"])
        assert exit_info.value.code == 0


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "kupon_desktop", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_self_check_passes_here():
    result = subprocess.run(
        [sys.executable, "-m", "kupon_desktop", "--self-check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-check passed" in result.stdout
