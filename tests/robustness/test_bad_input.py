"""Bad input: every kind of bad document is skipped with a one-line warning naming
the file (or, with --strict, stops the build with exit 2); encodings are detected;
offsets stay into the text as decoded; manifests are checked."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import unicodedata
from pathlib import Path

import pytest

from kg.errors import CorpusError
from kg.models import Document
from kg.pipeline import extract_document
from kg.text.load import load_corpus


def _support():
    name = "_industry_kg_robustness_support"
    mod = sys.modules.get(name)
    if mod is None:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("support.py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return mod


R = _support()
GOOD, TRAD = R.GOOD, R.TRAD
OK = "000_ok.txt"


# ---------------------------------------------------------------- one bad document at a time

def _bad_empty(d: Path) -> str:
    (d / "bad.txt").write_bytes(b"")
    return "empty file"


def _bad_blank(d: Path) -> str:
    (d / "bad.txt").write_text(" \r\n\u3000\n\t", encoding="utf-8")
    return "empty file (only whitespace)"


def _bad_binary_nul(d: Path) -> str:
    (d / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return "binary file (holds NUL bytes)"


def _bad_binary_control(d: Path) -> str:
    (d / "bad.txt").write_bytes(bytes(range(1, 32)) * 20 + "轴承".encode("utf-8"))
    return "binary file (mostly control characters)"


def _bad_undecodable(d: Path) -> str:
    (d / "bad.txt").write_bytes("café au lait ".encode("latin-1") + b"\xff\xfe\xfd")
    return "not UTF-8 or GB18030 text (byte 0xe9 at offset 3)"


def _bad_utf8_after_bom(d: Path) -> str:
    (d / "bad.txt").write_bytes(b"\xef\xbb\xbf" + "轴承".encode("gbk"))
    return "not UTF-8 or GB18030 text"


def _bad_too_large(d: Path) -> str:
    (d / "bad.txt").write_bytes(GOOD.encode("utf-8") * 20000)  # 1.8 MB, limit below set to 1 MiB
    return "MiB is over the limit of 1 MiB for one document"


def _bad_unreadable(d: Path) -> str:
    R.make_unreadable(d / "bad.txt")
    return "cannot read:"


def _bad_name(d: Path) -> str:
    with open(os.path.join(os.fsencode(d), b"bad\xff.txt"), "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    return "bad\\xff.txt: file name is not valid UTF-8"


def _bad_duplicate_id(d: Path) -> str:
    # the same name twice: composed (é) and decomposed (e + ◌́), and a case variant
    (d / unicodedata.normalize("NFC", "001_résumé.txt")).write_text(GOOD, encoding="utf-8")
    (d / unicodedata.normalize("NFD", "001_résumé.txt")).write_text(GOOD, encoding="utf-8")
    return "same document id as"


BAD = {
    "empty": _bad_empty,
    "whitespace-only": _bad_blank,
    "binary-nul": _bad_binary_nul,
    "binary-control": _bad_binary_control,
    "undecodable": _bad_undecodable,
    "bom-then-not-utf8": _bad_utf8_after_bom,
    "too-large": _bad_too_large,
    "unreadable": _bad_unreadable,
    "name-not-utf8": _bad_name,
    "duplicate-id": _bad_duplicate_id,
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_document_is_skipped_or_refused(tmp_path: Path, kind: str) -> None:
    (tmp_path / OK).write_text(GOOD, encoding="utf-8")
    reason = BAD[kind](tmp_path)
    limit = 1024 * 1024

    warnings: list[str] = []
    docs = load_corpus(tmp_path, warnings=warnings, max_bytes=limit)
    assert OK in [d.id for d in docs]
    assert len(docs) == (2 if kind == "duplicate-id" else 1)  # the first of the pair is kept
    assert len(warnings) == 1 and "\n" not in warnings[0], warnings
    assert reason in warnings[0] and warnings[0].endswith("(skipped)")
    assert str(tmp_path) in warnings[0]  # names the file

    with pytest.raises(CorpusError) as err:
        load_corpus(tmp_path, strict=True, max_bytes=limit)
    assert reason in str(err.value) and "\n" not in str(err.value)


def test_all_documents_bad(tmp_path: Path, kg_run) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01")
    code, out, err = kg_run("build", "--corpus", tmp_path, "--out", tmp_path / "out")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert lines[:2] == [f"kg: warning: {tmp_path / 'a.txt'}: empty file (skipped)",
                         f"kg: warning: {tmp_path / 'b.txt'}: binary file (holds NUL bytes), not text (skipped)"]
    assert lines[2:] == [f"kg: error: {tmp_path}: no usable document (2 file(s) skipped)"]
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- encodings and line ends

@pytest.mark.parametrize("encoding, label", [("gbk", "GB18030"), ("gb18030", "GB18030"),
                                             ("utf-16", "UTF-16")])
def test_other_encodings_are_decoded_with_a_warning(tmp_path: Path, encoding: str, label: str) -> None:
    text = GOOD + "欧元符号€与扩展汉字㐀。\n" if encoding != "gbk" else GOOD
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    warnings: list[str] = []
    (doc,) = load_corpus(tmp_path, warnings=warnings)
    assert doc.original == text
    assert warnings == [f"{tmp_path / 'a.txt'}: not UTF-8; decoded as {label}"]


def _offsets_point_at(doc: Document) -> list:
    """The document's mentions, after checking each one's offsets: inside the
    original, and the original characters there (line breaks and spaces removed,
    folded) are the mention's text."""
    from kg.text.normalize import normalize

    res = extract_document(doc)
    norm = normalize(doc.original)
    assert res.mentions
    for m in res.mentions:
        assert 0 <= m.start < m.end <= len(doc.original)
        i, j = norm.offsets.index(m.start), norm.offsets.index(m.end - 1) + 1
        assert norm.text[i:j] == m.text
    return list(res.mentions)


def test_gbk_document_offsets_point_into_the_decoded_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(GOOD.encode("gbk"))
    (doc,) = load_corpus(tmp_path)
    mentions = _offsets_point_at(doc)
    assert ("江北精工轴承有限公司", 0, 10) in [(m.text, m.start, m.end) for m in mentions]


def test_bom_is_stripped_and_offsets_count_from_after_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    warnings: list[str] = []
    (doc,) = load_corpus(tmp_path, warnings=warnings)
    assert doc.original == GOOD and warnings == []
    mentions = _offsets_point_at(doc)
    person = next(m for m in mentions if m.type.value == "Person")
    assert GOOD[person.start:person.end] == "李明远"


def test_crlf_gives_the_same_facts_with_offsets_into_the_crlf_text(tmp_path: Path) -> None:
    lf = "江北精工轴承有限公司\n\n" + GOOD + "\n该公司与宁波市人民政府签署合作协议。\n"
    crlf = lf.replace("\n", "\r\n")
    a = _offsets_point_at(Document(id="a.txt", original=lf))
    b = _offsets_point_at(Document(id="a.txt", original=crlf))
    assert [(m.text, m.type) for m in a] == [(m.text, m.type) for m in b]
    for ma, mb in zip(a, b):  # each \n before a mention is one \r more in the CRLF text
        assert (mb.start, mb.end) == (ma.start + lf[:ma.start].count("\n"),
                                      ma.end + lf[:ma.end].count("\n"))
        assert crlf[mb.start:mb.end].replace("\r\n", "") == mb.text


def test_traditional_text_is_extracted_with_offsets_at_the_traditional_characters() -> None:
    doc = Document(id="t.txt", original=TRAD)
    mentions = _offsets_point_at(doc)
    found = {(m.type.value, m.text): TRAD[m.start:m.end] for m in mentions}
    assert found[("Company", "江北精工轴承有限公司")] == "江北精工軸承有限公司"
    assert found[("Person", "李明远")] == "李明遠"
    assert found[("GovernmentBody", "宁波市人民政府")] == "寧波市人民政府"
    res = extract_document(doc)
    assert [(r.predicate.value, r.subject.text) for r in res.relations] == [("holdsPosition", "李明远")]
    # the same facts at the same offsets as the text written in simplified characters
    simplified = extract_document(Document(id="t.txt", original=_simplified(TRAD)))
    assert [(m.text, m.start, m.end) for m in res.mentions] == \
        [(m.text, m.start, m.end) for m in simplified.mentions]
    assert [(f.value, f.unit, f.start, f.end) for f in res.figures] == \
        [(f.value, f.unit, f.start, f.end) for f in simplified.figures] != []
    assert "億元" in TRAD[res.figures[0].start:res.figures[0].end]


def _simplified(text: str) -> str:
    import opencc

    out = opencc.OpenCC("t2s").convert(text)
    assert len(out) == len(text)
    return out


def test_simplified_text_is_not_converted() -> None:
    from kg.text.normalize import normalize, simplified_view

    text = "著名的乾隆年间，公司生产轴承。" * 3
    assert simplified_view(text) is None
    assert normalize(text).text == text
    assert simplified_view("國家發展與改革") == "国家发展与改革"
    # a few traditional characters quoted in a simplified text do not make it traditional
    assert simplified_view(GOOD * 5 + "臺灣") is None


# ---------------------------------------------------------------- through the command line

def test_mixed_corpus_build_warns_per_file_and_strict_stops(tmp_path: Path, kg_run) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = {"good": "江北 报道 one.txt", "gbk": "gbk.txt", "trad": "繁體 doc.txt"}
    (corpus / names["good"]).write_text(GOOD, encoding="utf-8")
    (corpus / names["gbk"]).write_bytes(GOOD.replace("江北", "河西").encode("gbk"))
    (corpus / names["trad"]).write_text(TRAD, encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    R.make_unreadable(corpus / "locked.txt")
    (corpus / "manifest.toml").write_text(
        f'[[document]]\nid = "{names["good"]}"\ntitle = "一篇 报道 & <标题>"\ndate = "2023-05"\n',
        encoding="utf-8")
    out = tmp_path / "out"

    code, stdout, err = kg_run("build", "--corpus", corpus, "--out", out)
    assert code == 0, err
    lines = err.strip().splitlines()
    assert all(line.startswith("kg: warning: ") for line in lines) and "Traceback" not in err
    assert [line.split(": ", 3)[2] for line in lines] == [
        str(corpus / n) for n in ("empty.txt", "gbk.txt", "image.txt", "locked.txt")]
    info = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert [f"kg: warning: {w}" for w in info["warnings"]] == lines
    export = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert sorted(d["id"] for d in export["documents"]) == sorted(names.values())
    assert stdout.startswith(f"built {out}/")
    assert stdout.splitlines()[1].split() == ["documents", "3"]
    names_found = {e["name"] for e in export["entities"]}
    assert {"江北精工轴承有限公司", "河西精工轴承有限公司", "宁波市人民政府"} <= names_found
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    code, stdout, err = kg_run("build", "--corpus", corpus, "--out", out, "--strict")
    line = R.one_line_error(code, err)
    assert line == f"kg: error: {corpus / 'empty.txt'}: empty file"
    assert stdout == ""
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # not touched


def test_fifty_megabyte_file_is_refused_quickly(tmp_path: Path, kg_run) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD, encoding="utf-8")
    big = corpus / "big dump.txt"
    block = (GOOD * 1000).encode("utf-8")
    with open(big, "wb") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(block)
        fh.truncate(50 * 1024 * 1024)
    code, stdout, err = kg_run("build", "--corpus", corpus, "--out", tmp_path / "out")
    assert code == 0
    assert err.strip() == (f"kg: warning: {big}: 50.0 MiB is over the limit of 2 MiB for one "
                           "document (kg build --max-file-mb) (skipped)")
    code, _, err = kg_run("build", "--corpus", corpus, "--out", tmp_path / "out", "--strict")
    assert R.one_line_error(code, err).startswith(f"kg: error: {big}: 50.0 MiB is over the limit")


def test_file_names_with_spaces_and_unicode(tmp_path: Path, kg_run) -> None:
    from kg import api

    corpus = tmp_path / "my corpus 语料"
    corpus.mkdir()
    name = "2023 年 报道 #1 (final) – ü.txt"
    (corpus / name).write_text(GOOD, encoding="utf-8")
    (corpus / "manifest.toml").write_text(f'[[document]]\nid = "{name}"\ndate = "2023"\n',
                                          encoding="utf-8")
    out = tmp_path / "out dir 输出"
    code, _, err = kg_run("build", "--corpus", corpus, "--out", out)
    assert code == 0, err
    (doc,) = api.load_export(out)["documents"]
    assert doc["id"] == name and doc["date"] == "2023"
    assert " " not in doc["iri"] and "#" not in doc["iri"]  # percent-encoded
    res = api.query(out, 'SELECT ?d WHERE { ?d dcterms:identifier ?id } ')
    assert [r[0].value for r in res.rows] == [doc["iri"]]
    assert api.lookup(out, "江北精工")[0]["documents"] == [name]


@pytest.mark.parametrize("body, expect", [
    ('[[document]\nid = "a.txt"', "malformed TOML"),
    ('[[document]]\nid = "missing.txt"', "names a missing file 'missing.txt'"),
    ('[[document]]\nid = "a.txt"\ndate = "2023-02-30"', "bad date '2023-02-30'"),
    ('[[document]]\nid = "a.txt"\n[[document]]\nid = "a.txt"', "duplicate id 'a.txt'"),
], ids=["malformed", "missing-file", "bad-date", "duplicate-id"])
def test_bad_manifest_is_one_line_exit_2(tmp_path: Path, kg_run, body: str, expect: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(body, encoding="utf-8")
    code, out, err = kg_run("build", "--corpus", tmp_path, "--out", tmp_path / "out")
    line = R.one_line_error(code, err)
    assert str(tmp_path / "manifest.toml") in line and expect in line
    assert out == "" and not (tmp_path / "out").exists()


def test_a_huge_limit_reads_only_what_is_there(tmp_path: Path) -> None:
    (tmp_path / OK).write_text(GOOD, encoding="utf-8")
    for limit in (None, 1 << 50):  # no buffer of the limit's size is allocated
        (doc,) = load_corpus(tmp_path, max_bytes=limit)
        assert doc.original == GOOD


def test_folder_name_not_utf8(tmp_path: Path) -> None:
    """A corpus folder whose name is not UTF-8: messages show the bad byte as \\xNN
    (a real process: its real stderr), and the build and build.json are fine."""
    import subprocess

    from kg import api

    corpus = os.path.join(os.fsencode(tmp_path), b"corpus\xff")
    os.mkdir(corpus)
    with open(os.path.join(corpus, b"a.txt"), "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    open(os.path.join(corpus, b"empty.txt"), "wb").close()
    shown = f"{tmp_path}/corpus\\xff"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kg", "build", "--strict", "--corpus", corpus,
                           "--out", tmp_path / "out"], capture_output=True, env=env, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.decode("utf-8") == f"kg: error: {shown}/empty.txt: empty file\n"

    warnings: list[str] = []
    summary = api.build(os.fsdecode(corpus), tmp_path / "out", warn=warnings.append)
    assert warnings == [f"{shown}/empty.txt: empty file (skipped)"]
    info = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    assert info["corpus"] == summary["corpus"] == shown and info["documents"] == 1
