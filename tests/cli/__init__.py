"""Helpers for the CLI and API tests: run ``python -m kg`` and build the real
corpus once per test session.

``tests/test_api.py`` loads this file by path (see ``load_support`` there), so it
must not rely on being imported as a package. The build is cached on disk in
pytest's session base temp folder, so whichever test module asks first builds
it and every later request reuses it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
TEN_TYPES = {"Company", "GovernmentBody", "ResearchInstitution", "Organization", "Person",
             "Place", "Product", "Industry", "Policy", "Project"}
SEVEN_PREDICATES = {"holdsPosition", "subOrganizationOf", "locatedIn", "produces",
                    "cooperatesWith", "investsIn", "authorOf"}


def run_kg(*args: str, cwd: str | os.PathLike | None = None,
           timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real entry point ``python -m kg ARGS``; text output, never raises."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("KG_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def shared_build(tmp_path_factory) -> Path:
    """The build folder of the real ``corpus/``, built once per session with the CLI."""
    root = tmp_path_factory.getbasetemp() / "kg-shared-build"
    out = root / "outputs"
    if not (out / "build.json").is_file():
        root.mkdir(exist_ok=True)
        proc = run_kg("build", "--corpus", CORPUS, "--out", out, cwd=root)
        if proc.returncode != 0:
            raise AssertionError(f"kg build failed ({proc.returncode}):\n{proc.stderr}")
        (root / "build.stdout").write_text(proc.stdout, encoding="utf-8")
        (root / "build.stderr").write_text(proc.stderr, encoding="utf-8")
    return out


def build_output(tmp_path_factory) -> tuple[str, str]:
    """(stdout, stderr) of the shared build."""
    root = shared_build(tmp_path_factory).parent
    return ((root / "build.stdout").read_text(encoding="utf-8"),
            (root / "build.stderr").read_text(encoding="utf-8"))
