"""Incremental builds: ``kg build --cache DIR`` re-extracts only new or changed
documents, and the output is byte-identical to a full build."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from kg import api, cache
from kg.cli import run
from kg.models import Document

from .conftest import outputs


def test_changed_document_is_the_only_one_reextracted(small_corpus, tmp_path):
    c = tmp_path / "cache"
    s1 = api.build(small_corpus, tmp_path / "o1", cache_dir=c)
    assert s1["cache"] == {"hits": 0, "misses": 3}
    first = outputs(tmp_path / "o1")

    s2 = api.build(small_corpus, tmp_path / "o2", cache_dir=c)
    assert s2["cache"] == {"hits": 3, "misses": 0}
    assert outputs(tmp_path / "o2") == first

    doc = small_corpus / "doc1.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n另据报道，该项目总投资12亿元。\n", encoding="utf-8")
    s3 = api.build(small_corpus, tmp_path / "o3", cache_dir=c)
    assert s3["cache"] == {"hits": 2, "misses": 1}
    info = json.loads((tmp_path / "o3" / "build.json").read_text(encoding="utf-8"))
    assert info["cache"] == {"hits": 2, "misses": 1}

    full = api.build(small_corpus, tmp_path / "full")  # no cache at all
    assert "cache" not in full
    assert outputs(tmp_path / "o3") == outputs(tmp_path / "full")
    assert outputs(tmp_path / "o3") != first  # the change did reach the graph


def test_key_depends_on_text_metadata_and_pipeline_version(monkeypatch):
    d = Document("a.txt", "轴承产值增长。")
    assert cache.document_key(d) == cache.document_key(Document("a.txt", "轴承产值增长。"))
    assert cache.document_key(d) != cache.document_key(Document("a.txt", "轴承产值增长!"))
    assert cache.document_key(d) != cache.document_key(Document("b.txt", "轴承产值增长。"))
    assert cache.document_key(d) != cache.document_key(Document("a.txt", "轴承产值增长。", date="2023"))
    before = cache.document_key(d)
    monkeypatch.setattr(cache, "pipeline_version", lambda: "another version")
    assert cache.document_key(d) != before


def test_pipeline_version_hashes_what_extraction_reads(tmp_path, monkeypatch):
    pkg = tmp_path / "kg"
    for d in ("resources", "extract", "rdf"):
        (pkg / d).mkdir(parents=True)
    (pkg / "pipeline.py").write_text("x = 1\n")
    (pkg / "extract" / "rules.py").write_text("y = 1\n")
    (pkg / "resources" / "words.txt").write_text("轴承\n", encoding="utf-8")
    (pkg / "rdf" / "writer.py").write_text("z = 1\n")
    (pkg / "api.py").write_text("w = 1\n")
    monkeypatch.setattr(cache, "_PACKAGE", pkg)
    version = cache.pipeline_version.__wrapped__  # uncached
    v1 = version()
    assert len(v1) == 64 and v1 == version()
    (pkg / "extract" / "__pycache__").mkdir()
    (pkg / "extract" / "__pycache__" / "rules.cpython.pyc").write_bytes(b"compiled")
    (pkg / "extract" / "notes.md").write_text("not a source")
    assert version() == v1  # neither compiled files nor other files count
    (pkg / "rdf" / "writer.py").write_text("z = 2\n")
    (pkg / "api.py").write_text("w = 2\n")
    assert version() == v1  # nor what runs after extraction (writers, the build's driver)
    (pkg / "resources" / "words.txt").write_text("轴承\n滚子\n", encoding="utf-8")
    v2 = version()
    assert v2 != v1  # a changed lexicon
    (pkg / "extract" / "more.py").write_text("")
    v3 = version()
    assert v3 != v2  # a new extraction module
    (pkg / "pipeline.py").write_text("x = 2\n")
    assert version() != v3  # a changed top-level module of extraction
    assert cache.pipeline_version() == cache.pipeline_version()  # the real one, cached


def test_pipeline_version_covers_every_module_extraction_loads():
    """Whatever kg module extract_document imports must be in the hashed files, or a
    change to it would leave stale entries in the cache."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import sys
        from kg.models import Document
        from kg.pipeline import extract_document
        extract_document(Document("a.txt", "宁波市经济和信息化局副局长周红介绍，华精轴承有限公司"
                                           "2023年产值达到5.2亿元，同比增长百分之十二。"))
        for name, mod in sorted(sys.modules.items()):
            if (name == "kg" or name.startswith("kg.")) and getattr(mod, "__file__", None):
                print(mod.__file__)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {Path(f).resolve() for f in out.stdout.split()}
    hashed = {p.resolve() for p in cache._extraction_files()}
    assert loaded and loaded <= hashed, sorted(map(str, loaded - hashed))
    resources = Path(cache.__file__).parent / "resources"
    assert {p.resolve() for p in resources.iterdir() if p.is_file()} <= hashed


def test_corrupt_or_foreign_entries_are_misses(small_corpus, tmp_path):
    c = tmp_path / "cache"
    api.build(small_corpus, tmp_path / "o1", cache_dir=c)
    entries = sorted(c.rglob("*.pkl"))
    assert len(entries) == 3
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(pickle.dumps({"something": "else"}))
    s = api.build(small_corpus, tmp_path / "o2", cache_dir=c)
    assert s["cache"] == {"hits": 1, "misses": 2}
    assert outputs(tmp_path / "o2") == outputs(tmp_path / "o1")
    assert not list(c.rglob(".*tmp-*"))  # entries are written whole


def test_cache_inside_out_is_refused(small_corpus, tmp_path, capsys):
    code = run(["build", "--corpus", str(small_corpus), "--out", str(tmp_path / "out"),
                "--cache", str(tmp_path / "out" / "c")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("kg: error: --cache") and "inside --out" in err
    assert not (tmp_path / "out").exists()


def test_cache_that_is_a_file_is_refused(small_corpus, tmp_path, capsys):
    (tmp_path / "c").write_text("x")
    code = run(["build", "--corpus", str(small_corpus), "--out", str(tmp_path / "out"),
                "--cache", str(tmp_path / "c")])
    err = capsys.readouterr().err
    assert code == 2
    assert "'--cache'" in err and "is a file" in err and "Traceback" not in err  # click's usage error
