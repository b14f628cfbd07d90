"""Outputs are never half-written: a build killed (SIGKILL) at any stage leaves a
complete, loadable build in --out — the previous one, or the new one once the
atomic swap has happened — and the next build cleans up after it.

The kill points are reached with the documented debug hook
``KG_DEBUG_PAUSE=<stage>:<seconds>`` (kg.api._debug_pause), which says
``kg: debug: pausing … at <stage>`` on stderr and sleeps there."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import api

OLD = "江北精工轴承有限公司董事长李明远表示，公司2023年产值达到5.2亿元。\n"
NEW = "河西重工机械有限公司总经理赵文博表示，公司2024年营业收入达到8.6亿元。\n"
# before extraction; in the middle of writing the new files; after the swap, before the old
# build is deleted (the "swap" stage, all files written, is like "write" and left out for speed)
STAGES = ["extract", "write", "swapped"]


def _start(corpus: Path, out: Path, stage: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", KG_DEBUG_PAUSE=f"{stage}:120")
    env.pop("KG_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "kg", "build", "--corpus", str(corpus),
                             "--out", str(out)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _wait_for_pause(proc: subprocess.Popen, stage: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.5)
        if ready:
            line = proc.stderr.readline()
            seen += line
            if f"at {stage}".encode() in line:
                return
            if not line and proc.poll() is not None:
                break
    proc.kill()
    raise AssertionError(f"the build never paused at {stage}: {seen.decode(errors='replace')}")


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    root = tmp_path_factory.mktemp("kill")
    old, new = root / "old-corpus", root / "new-corpus"
    old.mkdir()
    new.mkdir()
    (old / "a.txt").write_text(OLD, encoding="utf-8")
    (new / "a.txt").write_text(NEW, encoding="utf-8")
    (new / "b.txt").write_text(OLD, encoding="utf-8")
    return old, new


def test_killed_build_leaves_a_complete_loadable_build(tmp_path: Path, corpora) -> None:
    old_corpus, new_corpus = corpora
    previous = tmp_path / "previous"
    api.build(old_corpus, previous)
    before = _files(previous)

    a, b = tmp_path / "probe-a", tmp_path / "probe-b"
    a.mkdir()
    b.mkdir()
    stages = STAGES if api._exchange(a, b) else STAGES[:-1]  # no atomic exchange: no "swapped"
    shutil.rmtree(a)
    shutil.rmtree(b)

    # one build per kill point, each into its own copy of the previous outputs, run side by side
    outs = {}
    for stage in stages:
        outs[stage] = tmp_path / stage / "out"
        outs[stage].parent.mkdir()
        shutil.copytree(previous, outs[stage])
    procs = {stage: _start(new_corpus, outs[stage], stage) for stage in stages}
    try:
        for stage, proc in procs.items():
            _wait_for_pause(proc, stage)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            assert proc.returncode == -signal.SIGKILL
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stderr.close()

    for stage, out in outs.items():
        files = _files(out)
        assert sorted(files) == ["build.json", "graph.json", "graph.ttl"], stage
        n_docs = len(api.load_export(out)["documents"])
        assert len(api.load_graph(out)) == api.load_build_info(out)["triples"]
        if stage == "swapped":  # killed after the atomic swap: the new build, complete
            assert n_docs == 2
        else:  # killed before it: the previous build, byte for byte
            assert files == before and n_docs == 1, stage
        leftovers = [p.name for p in out.parent.iterdir() if p.name != "out"]
        assert leftovers == ([] if stage == "extract" else [f".out.tmp-{procs[stage].pid}"])

    # the next build removes what the killed one left behind
    out = outs["write"]
    api.build(new_corpus, out)
    assert [p.name for p in out.parent.iterdir()] == ["out"]
    assert len(api.load_export(out)["documents"]) == 2


def test_build_killed_between_the_two_renames_is_put_back(tmp_path: Path, corpora) -> None:
    """Where folders cannot be exchanged atomically, a build renames the old
    outputs aside first; if it dies right then, the next build puts them back
    before anything else."""
    old_corpus, new_corpus = corpora
    out = tmp_path / "out"
    api.build(old_corpus, out)
    before = _files(out)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    os.rename(out, tmp_path / f".out.old-{dead.pid}")  # what the killed build left
    (tmp_path / f".out.tmp-{dead.pid}").mkdir()
    api._remove_stale(out)
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
