"""Helpers for the robustness tests (each test module loads this file by path,
whatever pytest's import mode): invented texts, unreadable files, error checks."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

# invented text (no corpus names): a company, its chairman, a figure, a government body
GOOD = "江北精工轴承有限公司董事长李明远表示，公司2023年产值达到5.2亿元，同比增长12%。\n"
TRAD = ("江北精工軸承有限公司董事長李明遠表示，公司2023年產值達到5.2億元，同比增長12%。"
        "該公司與寧波市人民政府簽署合作協議。\n")


def _support():
    """tests/cli/__init__.py (run_kg, shared_build), loaded by path."""
    name = "_industry_kg_cli_support"
    mod = sys.modules.get(name)
    if mod is None:
        path = Path(__file__).resolve().parents[1] / "cli" / "__init__.py"
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return mod


S = _support()
run_kg = S.run_kg


def make_unreadable(path: Path) -> None:
    """A file name under which reading fails. chmod 000 does, unless we are root
    (root reads anything): then a link to /proc/self/mem, a regular file whose
    reading at offset 0 fails with EIO for everyone."""
    path.write_text(GOOD, encoding="utf-8")
    os.chmod(path, 0)
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except PermissionError:
        return
    path.unlink()
    path.symlink_to("/proc/self/mem")


def one_line_error(code: int, err: str, expect_code: int = 2) -> str:
    assert code == expect_code, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), err
    return lines[0]

