#!/usr/bin/env python3
"""Scale benchmark of ``kg build`` (a script, not a test).

For each scale factor (default 1, 10, 100) it writes a corpus made of the five
articles of ``corpus/`` repeated that many times, each copy with its names varied
(the organisation and person names of a reference build's graph.json are
replaced, by plain string substitution, with generated variants unique to the
copy, so resolution has ever more distinct entities to merge). Then, in fresh
processes, it measures

* ``kg build`` of that corpus: wall seconds, MB/s, peak memory (max RSS of the
  build process and its children), with ``--jobs`` as given (default: kg build's own
  default, ``auto``);
* jieba alone: the private jieba tokenizer of the pipeline (same dictionaries)
  segmenting the same texts (``cut(HMM=True)``), dictionary loading excluded; and,
  for comparison, the pipeline's segmenter (``kg.nlp.segment``, the same words);

and prints one row per scale: documents, MB, processes used, build s, MB/s, peak MB,
jieba s, kg seg s, build/jieba. ``--json FILE`` also writes the rows as JSON.

    .venv/bin/python benchmarks/run.py --scales 1 10 100 [--jobs 1] [--repeat 2]

The machine is shared and small (see benchmarks/README.md): repeat the key runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
VARIED_TYPES = ("Company", "GovernmentBody", "ResearchInstitution", "Organization", "Person")
# characters to make name variants from (common in company names and given names)
POOL = "华恒泰盛远瑞鑫宏达安信诚通佳峰德润祥和嘉丰源康博荣宇凯锦辰晟昊铭轩"


def variant(name: str, kind: str, i: int) -> str:
    """A name unique to copy ``i``: a person keeps the surname and gets a new given
    name; an organisation gets a two-character prefix."""
    a, b = POOL[i % len(POOL)], POOL[(i // len(POOL)) % len(POOL)]
    c = POOL[(i // len(POOL) ** 2) % len(POOL)]
    if kind == "Person":
        return name[0] + a + b + (c if i >= len(POOL) ** 2 else "")
    return a + b + (c if i >= len(POOL) ** 2 else "") + name


def reference_names(python: str, work: Path) -> dict[str, str]:
    """name → type of the organisations and people of a build of ``corpus/``."""
    out = work / "reference"
    subprocess.run([python, "-m", "kg", "build", "--corpus", str(CORPUS), "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for e in data["entities"]:
        if e["type"] in VARIED_TYPES:
            for n in [e["name"], *e.get("aliases", [])]:
                if len(n) >= 2:
                    names.setdefault(n, e["type"])
    return names


def make_corpus(scale: int, names: dict[str, str], folder: Path) -> tuple[int, int]:
    """Write ``scale`` varied copies of corpus/ into ``folder``; return (documents, bytes)."""
    import tomllib

    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    meta = {d["id"]: d for d in manifest.get("document", [])}
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    folder.mkdir(parents=True)
    lines, ndocs, nbytes = [], 0, 0
    for i in range(scale):
        for name, text in texts.items():
            new = text if i == 0 else pattern.sub(lambda m: variant(m[0], names[m[0]], i), text)
            doc_id = f"{i:05d}_{name}"
            data = new.encode("utf-8")
            (folder / doc_id).write_bytes(data)
            ndocs, nbytes = ndocs + 1, nbytes + len(data)
            lines.append("[[document]]")
            lines.append(f"id = {json.dumps(doc_id)}")
            for k, v in meta.get(name, {}).items():
                if k != "id":
                    lines.append(f"{k} = {json.dumps(v, ensure_ascii=False)}")
            lines.append("")
    (folder / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
    return ndocs, nbytes


def _child_jieba(corpus: str) -> None:
    """In a fresh process: jieba's segmentation time of the corpus texts, and that of
    the pipeline's own segmenter (the same words, kg.nlp.segment)."""
    from kg.nlp.pipeline import _private_jieba
    from kg.nlp.segment import Segmenter

    tok = _private_jieba()  # dictionaries loaded, not timed
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(corpus).glob("*.txt"))]
    t0 = time.perf_counter()
    n = 0
    for t in texts:
        n += sum(1 for w in tok.cut(t, HMM=True) if w)
    seconds = time.perf_counter() - t0
    cut = Segmenter(tok).cut
    t0 = time.perf_counter()
    for t in texts:
        cut(t)
    print(json.dumps({"seconds": seconds, "tokens": n,
                      "segmenter_seconds": time.perf_counter() - t0}))


def _child_build(corpus: str, out: str, jobs: str, extra: list[str]) -> None:
    """In a fresh process: ``kg build`` as a user runs it, with its peak memory."""
    from kg.cli import run

    t0 = time.perf_counter()
    code = run(["build", "--corpus", corpus, "--out", out, "--jobs", str(jobs),
                "--format", "json", *extra])
    wall = time.perf_counter() - t0
    rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
              resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"code": code, "seconds": wall, "peak_kb": rss}), file=sys.stderr)


def _run_child(python: str, *args: str) -> dict:
    proc = subprocess.run([python, __file__, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed: {proc.stderr.strip()[-500:]}")
    stream = proc.stderr if args[0] == "--child-build" else proc.stdout
    return json.loads(stream.strip().splitlines()[-1])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def incremental(args) -> None:
    """Full build with a cold cache vs. rebuild after changing one document."""
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"# {machine()}")
    names = reference_names(args.python, work)
    corpus, cache = work / "corpus-inc", work / "cache-inc"
    for p in (corpus, cache):
        shutil.rmtree(p, ignore_errors=True)
    ndocs, nbytes = make_corpus(max(1, args.incremental // 5), names, corpus)
    extra = ["--cache", str(cache)]
    full = _run_child(args.python, "--child-build", str(corpus), str(work / "o-full"),
                      str(args.jobs), *extra)
    changed = sorted(corpus.glob("*.txt"))[ndocs // 2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n该公司去年营业收入增长12%。\n",
                       encoding="utf-8")
    inc = _run_child(args.python, "--child-build", str(corpus), str(work / "o-inc"),
                     str(args.jobs), *extra)
    ref = _run_child(args.python, "--child-build", str(corpus), str(work / "o-ref"),
                     str(args.jobs))
    same = _same_outputs(work / "o-inc", work / "o-ref")
    info = json.loads((work / "o-inc" / "build.json").read_text(encoding="utf-8"))
    print(f"documents {ndocs}, {nbytes / 1e6:.2f} MB, jobs {args.jobs}")
    print(f"full build, cold cache      {full['seconds']:7.2f} s")
    print(f"one document changed        {inc['seconds']:7.2f} s  "
          f"({100 * inc['seconds'] / full['seconds']:.0f}% of full; cache {info['cache']})")
    print(f"full build without cache    {ref['seconds']:7.2f} s")
    print(f"incremental output identical to the full build: {same}", flush=True)

    # the same change in a resident process (kg build --watch): its first build, then
    # the rebuild after another document changed, as the build reports it (from the
    # change being seen to the new outputs in place) and as waited for (with polling)
    first, again, waited = _watch_rebuild(args.python, corpus, work / "o-watch", args.jobs,
                                          sorted(corpus.glob("*.txt"))[ndocs // 3])
    ref = _run_child(args.python, "--child-build", str(corpus), str(work / "o-ref2"),
                     str(args.jobs))
    print(f"kg build --watch: first build {first['seconds']:7.2f} s")
    print(f"  one document changed        {again['seconds']:7.2f} s  "
          f"({100 * again['seconds'] / full['seconds']:.0f}% of the full build above; "
          f"cache {again['cache']}); {waited:.2f} s from the change to the new outputs, "
          f"polling every {WATCH_INTERVAL} s")
    print(f"  output identical to a full build: {_same_outputs(work / 'o-watch', work / 'o-ref2')}")


WATCH_INTERVAL = 0.2


def _same_outputs(a: Path, b: Path) -> bool:
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in ("graph.ttl", "graph.json"))


def _watch_rebuild(python: str, corpus: Path, out: Path, jobs: str,
                   doc: Path) -> tuple[dict, dict, float]:
    """``kg build --watch`` of ``corpus``: the summaries of its first build and of the
    rebuild after ``doc`` changed, and the wall seconds from the change to that summary."""
    proc = subprocess.Popen([python, "-m", "kg", "build", "--watch", "--format", "json",
                             "--interval", str(WATCH_INTERVAL), "--corpus", str(corpus),
                             "--out", str(out), "--jobs", str(jobs)],
                            stdout=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        first = json.loads(proc.stdout.readline())
        t0 = time.perf_counter()
        doc.write_text(doc.read_text(encoding="utf-8") + "\n该项目去年完成投资3亿元。\n",
                       encoding="utf-8")
        again = json.loads(proc.stdout.readline())
        waited = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait()
    return first, again, waited


def _jobs_arg(value: str) -> str:
    if value != "auto" and not (value.isdigit() and int(value) >= 1):
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1 or 'auto'")
    return value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--jobs", default="auto", type=_jobs_arg,
                    help="kg build --jobs: a number, or auto (its default)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per scale (the fastest is kept)")
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: a temp dir)")
    ap.add_argument("--json", type=Path, default=None, help="also write the rows here")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--incremental", type=int, default=0, metavar="DOCS",
                    help="instead: time a full build of DOCS documents (a multiple of 5) with "
                         "--cache, then the rebuild after one document changed")
    args = ap.parse_args()
    if args.incremental:
        return incremental(args)

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"# {machine()}")
    print(f"# jobs {args.jobs}, repeat {args.repeat}, work {work}")
    names = reference_names(args.python, work)
    print(f"# {len(names)} organisation/person names varied per copy")
    header = f"{'scale':>6} {'docs':>6} {'MB':>7} {'jobs':>4} {'build s':>8} {'MB/s':>6} " \
             f"{'peak MB':>8} {'jieba s':>8} {'kg seg s':>8} {'build/jieba':>11}"
    print(header, flush=True)
    rows = []
    for scale in args.scales:
        corpus = work / f"corpus-{scale}"
        if corpus.exists():
            shutil.rmtree(corpus)
        ndocs, nbytes = make_corpus(scale, names, corpus)
        builds = []
        for r in range(args.repeat):
            out = work / f"out-{scale}"
            builds.append(_run_child(args.python, "--child-build", str(corpus), str(out),
                                     str(args.jobs)))
            if builds[-1]["code"] != 0:
                raise SystemExit(f"kg build failed at scale {scale}")
        segs = [_run_child(args.python, "--child-jieba", str(corpus)) for _ in range(args.repeat)]
        jieba = min(s["seconds"] for s in segs)
        own = min(s["segmenter_seconds"] for s in segs)
        best = min(builds, key=lambda b: b["seconds"])
        used = json.loads((work / f"out-{scale}" / "build.json").read_text(encoding="utf-8"))["jobs"]
        mb = nbytes / 1e6
        row = {"scale": scale, "documents": ndocs, "mb": round(mb, 3),
               "build_seconds": round(best["seconds"], 2),
               "all_build_seconds": [round(b["seconds"], 2) for b in builds],
               "mb_per_s": round(mb / best["seconds"], 4),
               "peak_mb": round(max(b["peak_kb"] for b in builds) / 1024, 1),
               "jieba_seconds": round(jieba, 3), "segmenter_seconds": round(own, 3),
               "build_over_jieba": round(best["seconds"] / jieba, 2), "jobs": used}
        rows.append(row)
        print(f"{scale:>6} {ndocs:>6} {mb:>7.2f} {used:>4} {row['build_seconds']:>8.2f} "
              f"{row['mb_per_s']:>6.3f} {row['peak_mb']:>8.0f} {jieba:>8.2f} {own:>8.2f} "
              f"{row['build_over_jieba']:>11.1f}", flush=True)
        shutil.rmtree(corpus)
        shutil.rmtree(work / f"out-{scale}", ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-jieba":
        _child_jieba(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-build":
        _child_build(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        main()
