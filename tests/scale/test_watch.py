"""``kg build --watch``: a resident process rebuilds on every change of the corpus,
re-extracting only what changed, with the bytes of a full build."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from kg import api
from kg.cli import run
from kg.models import DocResult, Document
from kg.watch import MemoryCache, corpus_state, watch

from .conftest import outputs


def _scripted_watch(corpus: Path, out: Path, steps: list, **options):
    """Run watch() with each poll's sleep replaced by the next step (a callable or
    None); stop once the steps are used up. Returns the builds (summary, outputs,
    a copy of the corpus they were built from) and the error messages."""
    builds, errors = [], []
    snapshots = out.parent / "snapshots"

    def on_build(summary: dict) -> None:
        copy = snapshots / str(len(builds))
        shutil.copytree(corpus, copy)
        builds.append((summary, outputs(out), copy))

    def sleep(seconds: float) -> None:
        assert seconds == 0.5
        step = steps.pop(0)
        if step is not None:
            step()

    watch(corpus, out, interval=0.5, on_build=on_build, on_error=errors.append,
          should_stop=lambda: not steps, sleep=sleep, **options)
    return builds, errors


def _append(path: Path, text: str):
    return lambda: path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_change_rebuilds_only_that_document_with_the_bytes_of_a_full_build(small_corpus, tmp_path):
    out = tmp_path / "out"
    steps = [
        _append(small_corpus / "doc1.txt", "\n另据报道，该项目总投资12亿元。\n"),
        None,  # the change is built once the folder stayed the same for one more poll
        (small_corpus / "doc2.txt").unlink,
        None,
        None,  # nothing changed: no build
    ]
    builds, errors = _scripted_watch(small_corpus, out, steps)
    assert errors == []
    assert [b[0]["cache"] for b in builds] == [
        {"hits": 0, "misses": 3}, {"hits": 2, "misses": 1}, {"hits": 2, "misses": 0}]
    assert [b[0]["documents"] for b in builds] == [3, 3, 2]
    assert builds[1][1] != builds[0][1]  # the change reached the graph
    for i, (_, written, copy) in enumerate(builds):
        api.build(copy, tmp_path / f"full{i}")  # a fresh build of the same corpus, no cache
        assert written == outputs(tmp_path / f"full{i}"), f"build {i} differs from a full build"


def test_a_corpus_that_cannot_be_built_is_reported_and_the_watch_goes_on(small_corpus, tmp_path):
    out = tmp_path / "out"
    bad = small_corpus / "doc9.txt"
    after_error: list = []
    steps = [
        lambda: bad.write_text("  \n", encoding="utf-8"),  # empty: refused with strict
        None,
        lambda: after_error.append(outputs(out)),
        bad.unlink,
        None,
        None,
    ]
    builds, errors = _scripted_watch(small_corpus, out, steps, strict=True)
    assert len(errors) == 1 and "doc9.txt" in errors[0] and "empty" in errors[0]
    assert after_error == [builds[0][1]]  # the failed build left the outputs alone
    assert len(builds) == 2  # before the bad file, and once it was gone
    assert builds[1][1] == builds[0][1]
    assert builds[1][0]["cache"] == {"hits": 3, "misses": 0}


def test_a_file_written_in_steps_is_built_once_complete(small_corpus, tmp_path):
    doc = small_corpus / "doc3.txt"
    steps = [
        lambda: doc.write_text("据介绍，该公司", encoding="utf-8"),
        _append(doc, "去年营业收入增长12%。\n"),  # still being written at the next poll
        None,
        None,
    ]
    builds, _ = _scripted_watch(small_corpus, tmp_path / "out", steps)
    assert len(builds) == 2  # the first build, then one of the complete file
    assert builds[1][0]["cache"] == {"hits": 3, "misses": 1}
    assert builds[1][0]["figures"] == builds[0][0]["figures"] + 1


def test_with_a_cache_folder_a_new_watch_starts_from_the_disk_cache(small_corpus, tmp_path):
    cache = tmp_path / "cache"
    api.build(small_corpus, tmp_path / "first", cache_dir=cache)
    builds, _ = _scripted_watch(small_corpus, tmp_path / "out", [None], cache_dir=cache)
    assert builds[0][0]["cache"] == {"hits": 3, "misses": 0}
    assert builds[0][1] == outputs(tmp_path / "first")


def test_the_memory_cache_keeps_the_documents_of_the_last_build_only():
    docs = [Document(f"d{i}.txt", f"第{i}篇。") for i in range(3)]
    results = [DocResult(doc=d) for d in docs]
    memo = MemoryCache()
    memo.begin()
    assert memo.get(docs[0]) is None and memo.misses == 1
    for r in results:
        memo.put(r)
    memo.end()
    memo.begin()
    assert memo.get(docs[0]) is results[0] and memo.get(docs[1]) is results[1]
    assert (memo.hits, memo.misses) == (2, 0)
    memo.end()  # d2.txt was not part of this build
    memo.begin()
    assert memo.get(docs[2]) is None
    changed = Document("d0.txt", "第0篇，改了。")
    assert memo.get(changed) is None  # same id, other text
    assert memo.get(docs[0]) is results[0]
    assert (memo.hits, memo.misses) == (1, 2)


def test_the_memory_cache_keeps_the_parts_of_resolution_of_the_last_build():
    from kg.models import EntityType, Mention

    def result(doc):
        return DocResult(doc, (Mention(doc.id, "华精集团", EntityType.Company, 0, 4),))

    docs = [Document(f"d{i}.txt", "华精集团" + "。" * i) for i in range(2)]
    memo = MemoryCache()
    memo.begin()
    first = [memo.part(result(d)) for d in docs]
    assert all(p is not None and p.doc == d.id for p, d in zip(first, docs))
    memo.end()
    memo.begin()
    assert memo.part(result(docs[0])) is first[0]  # kept, not made again
    changed = Document("d1.txt", "华精集团，改了。")
    assert memo.part(result(changed)) is not first[1]
    memo.end()  # d1.txt's old part was not used: forgotten
    memo.begin()
    made = first[1]
    assert memo.part(result(docs[1]), made) is made  # a part made elsewhere is kept
    memo.end()
    memo.begin()
    assert memo.part(result(docs[1])) is made


def test_a_rebuild_makes_the_part_of_the_changed_document_only(small_corpus, tmp_path, monkeypatch):
    import kg.resolve.resolver as resolver

    made: list[str] = []
    real = resolver.document_part

    def counting(res):
        made.append(res.doc.id)
        return real(res)

    monkeypatch.setattr(resolver, "document_part", counting)
    steps = [_append(small_corpus / "doc1.txt", "\n另据报道，该项目总投资12亿元。\n"), None]
    builds, _ = _scripted_watch(small_corpus, tmp_path / "out", steps)
    assert len(builds) == 2
    names = sorted(p.name for p in small_corpus.glob("*.txt"))
    assert sorted(made[:len(names)]) == names  # the first build: every document's
    assert made[len(names):] == ["doc1.txt"]  # the rebuild: the changed one's only


def test_corpus_state_sees_documents_and_the_manifest_only(tmp_path):
    (tmp_path / "a.txt").write_text("一", encoding="utf-8")
    first = corpus_state(tmp_path)
    (tmp_path / "notes.md").write_text("not a document")
    (tmp_path / "sub").mkdir()
    assert corpus_state(tmp_path) == first
    (tmp_path / "manifest.toml").write_text("")
    second = corpus_state(tmp_path)
    assert second != first
    (tmp_path / "a.txt").write_text("一二", encoding="utf-8")
    assert corpus_state(tmp_path) != second
    assert corpus_state(tmp_path / "missing") == ()


def _lines(stream) -> queue.Queue:
    q: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in stream:
            q.put(line)
        q.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return q


def test_cli_watch_prints_one_json_line_per_build_and_stops_cleanly(small_corpus, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", "--corpus", str(small_corpus), "--out", str(out),
         "--watch", "--interval", "0.1", "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = _lines(proc.stdout)
        first = json.loads(lines.get(timeout=120))
        assert first["cache"] == {"hits": 0, "misses": 3} and first["documents"] == 3
        _append(small_corpus / "doc0.txt", "\n该公司去年营业收入增长12%。\n")()
        second = json.loads(lines.get(timeout=60))
        assert second["cache"] == {"hits": 2, "misses": 1}
        assert second["figures"] == first["figures"] + 1
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    finally:
        proc.kill()
    err = proc.stderr.read()
    assert code == 0, err
    assert "watching" in err and "stopped" in err and "Traceback" not in err
    api.build(small_corpus, tmp_path / "full")
    assert outputs(out) == outputs(tmp_path / "full")


def test_cli_watch_refuses_bad_options_and_a_bad_out_at_once(small_corpus, tmp_path, capsys):
    assert run(["build", "--corpus", str(small_corpus), "--out", str(tmp_path / "o"),
                "--interval", "2"]) == 2
    assert "--interval needs --watch" in capsys.readouterr().err
    assert run(["build", "--corpus", str(tmp_path / "typo"), "--out", str(tmp_path / "o"),
                "--watch"]) == 2
    assert "typo: corpus folder does not exist" in capsys.readouterr().err
    not_a_build = tmp_path / "notes"
    not_a_build.mkdir()
    (not_a_build / "mine.txt").write_text("keep me")
    assert run(["build", "--corpus", str(small_corpus), "--out", str(not_a_build),
                "--watch"]) == 2
    assert "holds no kg build" in capsys.readouterr().err
    assert (not_a_build / "mine.txt").read_text() == "keep me"
