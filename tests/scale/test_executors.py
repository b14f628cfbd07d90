"""The map step on other executors: local processes (--jobs) and Dask; the output
is byte-identical to a build in one process."""

from __future__ import annotations

import os
import sys

import pytest

from kg import api, executors
from kg.cli import run
from kg.errors import KgError
from kg.models import Document

from .conftest import outputs


def test_chunks_cover_every_document_once_and_balance_sizes():
    docs = [Document(f"{i}.txt", "字" * n) for i, n in enumerate([90, 10, 50, 50, 40, 30, 20, 5])]
    chunks = executors._chunks(docs, 3)
    assert sorted(d.id for c in chunks for d in c) == sorted(d.id for d in docs)
    sizes = [sum(len(d.original) for d in c) for c in chunks]
    assert max(sizes) - min(sizes) <= 90  # no chunk holds everything
    assert len(executors._chunks(docs[:2], 5)) == 2  # never an empty chunk


def test_jobs_2_gives_the_same_bytes(small_corpus, tmp_path):
    api.build(small_corpus, tmp_path / "one")
    s = api.build(small_corpus, tmp_path / "two", jobs=2)
    assert s["jobs"] == 2
    assert outputs(tmp_path / "two") == outputs(tmp_path / "one")


def test_dask_local_cluster_of_two_workers_gives_the_same_bytes(small_corpus, tmp_path):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    api.build(small_corpus, tmp_path / "local")
    s = api.build(small_corpus, tmp_path / "dask", jobs=2, executor="dask")
    assert s["executor"] == "dask"
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")


def test_dask_missing_is_a_one_line_error(small_corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails
    code = run(["build", "--corpus", str(small_corpus), "--out", str(tmp_path / "out"),
                "--executor", "dask"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "industry-kg[dask]" in err
    assert not (tmp_path / "out").exists()


def test_scheduler_without_dask_executor_is_refused(small_corpus, tmp_path):
    with pytest.raises(KgError, match="--scheduler needs --executor dask"):
        api.build(small_corpus, tmp_path / "out", scheduler="tcp://127.0.0.1:1")


def test_unreachable_scheduler_is_a_one_line_error(small_corpus, tmp_path, monkeypatch):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(KgError, match="cannot reach the Dask scheduler"):
        api.build(small_corpus, tmp_path / "out", executor="dask", scheduler="tcp://127.0.0.1:9")


def _fake_extract(doc):
    from kg.models import DocResult

    return DocResult(doc)


def test_local_processes_extract_every_document_once(monkeypatch):
    """--jobs 3: this process and two workers share the documents, longest first; each
    result comes back once."""
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "extract_document", _fake_extract)  # workers are forked
    monkeypatch.setattr(executors, "_init_worker", lambda: None)
    docs = [Document(f"{i:02d}.txt", "字" * (1 + (i * 37) % 50)) for i in range(40)]
    got = []
    executors.run_local(docs, 3, got.append)
    assert sorted(r.doc.id for r in got) == [d.id for d in docs]


def test_workers_get_small_chunks_so_that_no_process_is_left_with_a_long_tail(monkeypatch):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "extract_document", _fake_extract)
    monkeypatch.setattr(executors, "_init_worker", lambda: None)
    monkeypatch.setattr(executors, "CHUNK_CHARS", 100)
    dealt = []
    take = executors._take

    def spy(pending, chars):
        chunk = take(pending, chars)
        dealt.append(sum(len(d.original) for d in chunk))
        return chunk

    monkeypatch.setattr(executors, "_take", spy)
    docs = [Document(f"{i:02d}.txt", "字" * 30) for i in range(60)]  # 1,800 characters
    got = []
    executors.run_local(docs, 2, got.append)
    assert sorted(r.doc.id for r in got) == [d.id for d in docs]
    assert dealt and max(dealt) <= 100  # not a quarter of what is left (450 at first)


def _one_mention(doc):
    from kg.models import DocResult, EntityType, Mention

    return DocResult(doc, (Mention(doc.id, "华精集团", EntityType.Company, 0, 4),))


def test_workers_send_back_facts_without_the_documents_text(monkeypatch):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "extract_document", _one_mention)
    docs = [Document("a.txt", "华精集团" * 3), Document("b.txt", "华精集团")]
    for with_parts in (False, True):
        sent = executors._extract_chunk(docs, with_parts)
        assert all(not any(isinstance(x, Document) for x in facts) for facts, _ in sent)
        assert all((part is not None) is with_parts for _, part in sent)
        parts: dict = {}
        assert list(executors._results(docs, sent, parts)) == [_one_mention(d) for d in docs]
        assert sorted(parts) == (["a.txt", "b.txt"] if with_parts else [])
    with pytest.raises(ValueError):  # facts for fewer documents than were sent
        list(executors._results(docs, sent[:1], None))


def test_the_switch_interval_is_set_while_workers_extract_and_restored(monkeypatch):
    import kg.pipeline

    seen = []

    def extract(doc):
        seen.append(sys.getswitchinterval())
        return _fake_extract(doc)

    monkeypatch.setattr(kg.pipeline, "extract_document", extract)
    monkeypatch.setattr(executors, "_init_worker", lambda: None)
    before = sys.getswitchinterval()
    docs = [Document(f"{i}.txt", "字" * 10) for i in range(6)]
    executors.run_local(docs, 2, lambda r: None)
    assert seen and seen[0] == pytest.approx(executors.SWITCH_INTERVAL)  # in this process
    assert sys.getswitchinterval() == before

    def fail(result):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        executors.run_local(docs, 2, fail)
    assert sys.getswitchinterval() == before


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_the_processes_make_the_parts_of_resolution_when_asked(monkeypatch, jobs):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "extract_document", _one_mention)
    monkeypatch.setattr(executors, "_init_worker", lambda: None)
    docs = [Document(f"{i:02d}.txt", "华精集团" * (1 + i % 7)) for i in range(20)]
    parts, got = {}, []
    executors.run_local(docs, jobs, got.append, parts)
    assert sorted(r.doc.id for r in got) == [d.id for d in docs]
    if jobs == 1:  # resolution makes them itself: nothing to gain
        assert parts == {}
    else:
        assert sorted(parts) == [d.id for d in docs]
        assert all(len(p.nodes) == 1 and p.nodes[0].mentions[0].doc == i for i, p in parts.items())
    executors.run_local(docs, jobs, lambda r: None)  # not asked: none made, nothing fails


def test_take_cuts_chunks_by_characters():
    from collections import deque

    pending = deque(Document(f"{i}.txt", "字" * n) for i, n in enumerate([50, 30, 20, 10, 5]))
    assert [d.id for d in executors._take(pending, 10)] == ["0.txt"]  # one at least
    assert [d.id for d in executors._take(pending, 55)] == ["1.txt", "2.txt"]
    assert [d.id for d in executors._take(pending, 100)] == ["3.txt", "4.txt"]
    assert not pending


def test_forked_writer_returns_its_value_or_raises_its_error():
    if not hasattr(__import__("os"), "fork"):
        pytest.skip("no fork on this system")
    child = api._Forked(lambda: {"n": 42})
    assert child.result() == {"n": 42}
    assert child.result() == {"n": 42}  # again, without waiting
    child.kill()  # nothing left to kill

    def fail():
        raise OSError(28, "No space left on device")

    child = api._Forked(fail)
    for _ in range(2):
        with pytest.raises(OSError, match="No space left"):
            child.result()
    child.kill()
    child = api._Forked(lambda: __import__("time").sleep(60))
    child.kill()  # does not wait the minute


def test_two_processes_write_the_files_of_one(kg, tmp_path, monkeypatch):
    """graph.ttl shared by two processes, cut anywhere (at the start, at every subject,
    at the end), is the file of one, and the part file is gone."""
    if not hasattr(__import__("os"), "fork"):
        pytest.skip("no fork on this system")
    from kg.rdf.stream import StreamedGraph

    (tmp_path / "one").mkdir()
    triples_and_counts = api._write_graph(kg, tmp_path / "one", False)
    one = outputs(tmp_path / "one")
    units = StreamedGraph(kg).units()
    starts = [i for i in range(len(units) + 1)
              if i in (0, len(units)) or units[i - 1][0] != units[i][0]]
    cuts = iter(starts)
    monkeypatch.setattr(StreamedGraph, "cut", lambda self, ahead=0.0: next(cuts))
    for stop in starts:
        two = tmp_path / f"two-{stop}"
        two.mkdir()
        assert api._write_graph(kg, two, True) == triples_and_counts
        assert outputs(two) == one, stop
        assert sorted(p.name for p in two.iterdir()) == ["graph.json", "graph.ttl"]


def test_a_build_from_the_cache_alone_loads_neither_spacy_nor_jieba(small_corpus, tmp_path):
    import subprocess
    import textwrap

    cache = tmp_path / "cache"
    api.build(small_corpus, tmp_path / "o1", cache_dir=cache)
    code = textwrap.dedent(f"""
        import sys
        from kg import api
        s = api.build({str(small_corpus)!r}, {str(tmp_path / 'o2')!r}, cache_dir={str(cache)!r})
        assert s["cache"] == {{"hits": 3, "misses": 0}}, s["cache"]
        print(sorted(m for m in ("spacy", "jieba", "thinc") if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert outputs(tmp_path / "o2") == outputs(tmp_path / "o1")


def test_auto_jobs_is_one_process_per_cpu_but_none_for_less_than_its_share_of_text(monkeypatch):
    share = executors.AUTO_CHARS_PER_PROCESS

    def docs(chars: int, n: int = 8) -> list[Document]:  # n documents of ``chars`` in all
        return [Document(f"{i}.txt", "字" * (chars // n + (i < chars % n))) for i in range(n)]

    monkeypatch.setattr(executors, "usable_cpus", lambda: 4)
    assert executors.resolve_jobs("auto", docs(share - 1)) == 1
    assert executors.resolve_jobs("auto", docs(2 * share)) == 2
    assert executors.resolve_jobs("auto", docs(3 * share)[:1]) == 1  # no more than one per document
    assert executors.resolve_jobs("auto", docs(100 * share)) == 4
    assert executors.resolve_jobs("auto", []) == 1
    monkeypatch.setattr(executors, "usable_cpus", lambda: 1)
    assert executors.resolve_jobs("auto", docs(100 * share)) == 1
    assert executors.resolve_jobs(3, docs(10)) == 3  # a number is taken as given


@pytest.mark.parametrize("bad", [0, -1, "2", "all", 1.5, True, None])
def test_jobs_other_than_a_positive_number_or_auto_is_an_error(bad):
    with pytest.raises(KgError, match="jobs"):
        executors.resolve_jobs(bad, [])


def test_usable_cpus_counts_this_process_s_cpus():
    assert 1 <= executors.usable_cpus() <= (os.cpu_count() or 1)


def test_auto_jobs_builds_a_small_corpus_in_one_process_and_says_so(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(executors, "usable_cpus", lambda: 8)
    s = api.build(small_corpus, tmp_path / "auto", jobs="auto")
    assert s["jobs"] == 1
    monkeypatch.setattr(executors, "AUTO_CHARS_PER_PROCESS", 1)
    s = api.build(small_corpus, tmp_path / "auto2", jobs="auto")
    assert s["jobs"] == 3  # one per document at most
    assert outputs(tmp_path / "auto2") == outputs(tmp_path / "auto")


def test_auto_jobs_with_a_cache_counts_only_the_documents_to_extract(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(executors, "usable_cpus", lambda: 8)
    monkeypatch.setattr(executors, "AUTO_CHARS_PER_PROCESS", 1)
    calls = []
    run = executors.run
    monkeypatch.setattr(executors, "run", lambda docs, jobs, *a: (calls.append((len(docs), jobs)), run(docs, 1, *a)))
    cache = tmp_path / "cache"
    s = api.build(small_corpus, tmp_path / "out", jobs="auto", cache_dir=cache)
    assert calls == [(3, 3)] and s["jobs"] == 3
    changed = sorted(small_corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n该公司去年营业收入增长12%。\n", encoding="utf-8")
    s = api.build(small_corpus, tmp_path / "out", jobs="auto", cache_dir=cache)
    assert calls[1:] == [(1, 1)]  # one document to extract: one process
    assert s["jobs"] == 3  # (the whole corpus's, for writing)
