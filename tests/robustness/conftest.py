"""Fixtures of the robustness tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def kg_run(capsys):
    """Run the CLI in process: ``kg_run("build", ...) -> (code, stdout, stderr)``."""
    from kg.cli import run

    def _run(*args) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run
