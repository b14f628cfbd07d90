"""Time the cookbook (queries/*.rq) on pyoxigraph (what `kg query` uses) and on rdflib's
own SPARQL engine, over a build's graph.ttl, and check both give as many rows.

Usage (from the repository root, after ``kg build``):

    python scripts/bench_sparql.py [--out outputs] [--repeat 3]

A measurement, not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_of(n: int, fn) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for _ in range(n):
        t0 = time.perf_counter()
        rows = fn()
        best = min(best, time.perf_counter() - t0)
    return best, rows


def in_child(limit: float, fn) -> tuple[float, int] | None:
    """``fn()`` timed in a forked process; None if it takes longer than ``limit`` s."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=lambda: send.send(fn()), daemon=True)
    proc.start()
    got = recv.recv() if recv.poll(limit) else None
    proc.kill()
    proc.join()
    return got


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="outputs")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=float, default=30.0,
                    help="give up on an rdflib query after this many seconds")
    args = ap.parse_args()

    import pyoxigraph as ox
    from rdflib import Graph

    ttl = ROOT / args.out / "graph.ttl"
    t0 = time.perf_counter()
    store = ox.Store()
    store.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    t_ox = time.perf_counter() - t0
    t0 = time.perf_counter()
    g = Graph()
    g.parse(ttl, format="turtle")
    t_rdflib = time.perf_counter() - t0
    print(f"{ttl}: {len(g)} triples; load: pyoxigraph {t_ox * 1000:.0f} ms, "
          f"rdflib {t_rdflib * 1000:.0f} ms")
    print(f"{'query':<28} {'rows':>5} {'pyoxigraph ms':>14} {'rdflib ms':>10} {'ratio':>7}")
    total_ox = total_rl = 0.0
    for path in sorted((ROOT / "queries").glob("*.rq")):
        q = path.read_text(encoding="utf-8")
        t1, n1 = best_of(args.repeat, lambda: len(list(store.query(q))))
        got = in_child(args.limit * args.repeat,
                       lambda: best_of(args.repeat, lambda: len(list(g.query(q)))))
        total_ox += t1
        if got is None:
            print(f"{path.stem:<28} {n1:>5} {t1 * 1000:>14.1f} {'>' + str(int(args.limit * 1000)):>10} "
                  f"{'>' + format(args.limit / t1, '.0f'):>6}×")
            total_rl += args.limit
            continue
        t2, n2 = got
        total_rl += t2
        flag = "" if n1 == n2 else f"  (rdflib: {n2} rows)"
        print(f"{path.stem:<28} {n1:>5} {t1 * 1000:>14.1f} {t2 * 1000:>10.1f} "
              f"{t2 / t1:>6.0f}×{flag}")
    print(f"{'all (a time-out counts as --limit)':<34} {total_ox * 1000:>8.1f} {total_rl * 1000:>10.1f} "
          f"{total_rl / total_ox:>6.0f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
