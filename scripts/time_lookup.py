"""Measure the wall time of ``kg lookup`` from the shell (not a unit test).

Usage (from the repository root, after ``kg build``):

    .venv/bin/python scripts/time_lookup.py [NAME ...] [--runs N] [--budget SECONDS]

Runs the installed ``kg`` console script (the one next to this Python) as a new
process, ``--runs`` times per name (default 10, after one warm-up run), and prints
the median and worst wall time of each name. Exits 1 if a median is over the
budget (default 0.3 s, the issue's figure for this corpus).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", default=["瓦轴", "瓦房店轴成", "洛阳轴承集团股份有限公司"])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--budget", type=float, default=0.3)
    ap.add_argument("--format", default="table", choices=["table", "json"])
    args = ap.parse_args()
    kg = Path(sys.executable).with_name("kg")
    if not kg.exists():
        print(f"no kg console script next to {sys.executable}", file=sys.stderr)
        return 2
    over = False
    for name in args.names:
        cmd = [str(kg), "lookup", name, "--format", args.format]
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)  # warm the file cache
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        over |= med > args.budget
        print(f"kg lookup {name} --format {args.format}: median {med * 1000:.0f} ms, "
              f"worst {max(times) * 1000:.0f} ms over {args.runs} runs")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
