#!/usr/bin/env python3
"""Measure how kg copes with one large document (a measured note, not a test).

    .venv/bin/python scripts/measure_input_sizes.py [--load-mb 50] [--build-mb 0.5 1 2]

Makes documents of the given sizes by repeating the texts of corpus/ in a
temporary folder, then reports, for each, the wall time and peak memory (RSS)
of (a) loading + normalising it (kg.text.load + kg.text.normalize) and (b) a
full ``kg.api.build`` of it.  Each measurement runs in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, corpus, out = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
t0 = time.perf_counter()
if mode == "load":
    from kg.text.load import load_corpus
    from kg.text.normalize import normalize
    (doc,) = load_corpus(corpus, strict=True, max_bytes=None)
    t1 = time.perf_counter()
    norm = normalize(doc.original)
    result = {"load_s": round(t1 - t0, 2), "normalize_s": round(time.perf_counter() - t1, 2),
              "chars": len(doc.original)}
else:
    from kg import api
    s = api.build(corpus, out, strict=True, max_file_bytes=1 << 40)
    result = {"build_s": round(time.perf_counter() - t0, 2), "entities": s["entities"],
              "figures": s["figures"]}
result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(result))
"""


def make_doc(folder: Path, mb: float) -> Path:
    seed = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").glob("*.txt")))
    target = int(mb * 1024 * 1024)
    data = seed.encode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "big.txt"
    with open(path, "wb") as fh:
        while fh.tell() < target:
            fh.write(data[: target - fh.tell()] if target - fh.tell() < len(data) else data)
    # cut at a character boundary
    raw = path.read_bytes().decode("utf-8", "ignore").encode("utf-8")
    path.write_bytes(raw)
    return path


def run(mode: str, corpus: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, mode, str(corpus), str(out)],
                          capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--load-mb", type=float, nargs="*", default=[50])
    ap.add_argument("--build-mb", type=float, nargs="*", default=[0.5, 1, 2])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.load_mb:
            corpus = Path(tmp) / f"load-{mb}"
            make_doc(corpus, mb)
            print(f"load+normalise {mb:g} MiB:", json.dumps(run("load", corpus, Path(tmp) / "o")))
        for mb in args.build_mb:
            corpus = Path(tmp) / f"build-{mb}"
            make_doc(corpus, mb)
            print(f"full build     {mb:g} MiB:", json.dumps(run("build", corpus, Path(tmp) / f"out-{mb}")))


if __name__ == "__main__":
    main()
