"""Re-run every ``$ kg …`` example of README.md and write its real output back.

Usage (from the repository root, after ``kg build``):

    python scripts/update_readme_examples.py [--check]

Each ```console block whose first line is ``$ kg …`` is run with the installed
``kg`` (through ``python -m kg``), in the repository root; the block's output
lines are replaced by what the command printed. ``--check`` only reports which
blocks are out of date (exit 1 if any).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```console\n\$ (kg [^\n]*)\n(.*?)```", re.S)
VOLATILE = re.compile(r"in \d+(?:\.\d+)? s$|^built at .*$", re.M)  # timing and time of day vary


def run(command: str) -> str:
    args = shlex.split(command)
    proc = subprocess.run([sys.executable, "-m", "kg", *args[1:]], cwd=ROOT, capture_output=True, text=True)
    return proc.stdout if proc.stdout.endswith("\n") or not proc.stdout else proc.stdout + "\n"


def main() -> int:
    check = "--check" in sys.argv[1:]
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    stale = []

    def refresh(m: re.Match) -> str:
        command, old = m.group(1), m.group(2)
        new = run(command)
        if VOLATILE.sub("", new) != VOLATILE.sub("", old):
            stale.append(command)
        return f"```console\n$ {command}\n{new}```"

    updated = BLOCK.sub(refresh, text)
    for c in stale:
        print(("stale: " if check else "updated: ") + c)
    if check:
        return 1 if stale else 0
    readme.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
