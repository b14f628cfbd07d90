"""Loading a corpus folder and validating its manifest."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import CorpusError
from kg.text.load import load_corpus, load_manifest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

A = "000_a.txt"
B = "001_b.txt"
TEXT_A = "轴承产业积蓄新优势\n\n本报记者 张明\n"
TEXT_B = "某市科学技术局\n2021年6月22日\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / A).write_text(TEXT_A, encoding="utf-8")
    (tmp_path / B).write_text(TEXT_B, encoding="utf-8")
    return tmp_path


def write_manifest(folder: Path, body: str) -> Path:
    path = folder / "manifest.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_manifest_round_trip(folder: Path) -> None:
    write_manifest(
        folder,
        f'''
[[document]]
id = "{A}"
title = "轴承产业积蓄新优势"
publisher = "unknown"
date = "2022"
date_basis = "今年一季度 with 2021 as the last full year"
place = "某省某市"

[[document]]
id = "{B}"
publisher = "某市科学技术局"
date = 2021-06-22   # a bare TOML date is accepted
''',
    )
    docs = load_corpus(folder)
    assert [d.id for d in docs] == [A, B]
    a, b = docs
    assert a.original == TEXT_A and b.original == TEXT_B
    assert (a.title, a.publisher, a.date, a.place) == ("轴承产业积蓄新优势", "unknown", "2022", "某省某市")
    assert a.date_basis.startswith("今年一季度")
    assert (b.title, b.date, b.publisher) == (None, "2021-06-22", "某市科学技术局")
    assert a.path == str(folder / A)
    assert load_manifest(folder / "manifest.toml")[B] == {"publisher": "某市科学技术局", "date": "2021-06-22"}


def test_file_without_entry_or_manifest_loads(folder: Path) -> None:
    docs = load_corpus(folder)  # no manifest at all
    assert all(d.title is None and d.date is None and d.publisher is None for d in docs)
    write_manifest(folder, f'[[document]]\nid = "{A}"\ntitle = "轴承产业积蓄新优势"\n')
    a, b = load_corpus(folder)
    assert a.title == "轴承产业积蓄新优势"
    assert (b.id, b.title, b.date, b.date_basis, b.place) == (B, None, None, None, None)


@pytest.mark.parametrize(
    "body, expect",
    [
        ('[[document]\nid = "x"', "malformed TOML"),
        (f'[[document]]\nid = "{A}"\ntitle = "未闭合', "malformed TOML"),
        ('[[document]]\nid = "002_missing.txt"', "002_missing.txt"),
        (f'[[document]]\nid = "{A}"\ndate = "2022-13"', "bad date"),
        (f'[[document]]\nid = "{A}"\ndate = "22/06/2021"', "bad date"),
        (f'[[document]]\nid = "{A}"\ndate = "2021-02-30"', "bad date"),
        (f'[[document]]\nid = "{A}"\ndate = "2022年"', "bad date"),
        (f'[[document]]\nid = "{A}"\n\n[[document]]\nid = "{A}"', "duplicate id"),
        (f'[[document]]\nid = "{A}"\nauthor = "王新莹"', "unknown key 'author'"),
        (f'[[document]]\nid = "{A}"\ntitle = 3', "must be a string"),
        (f'[[document]]\nid = "{A}"\ndate = 2021-06-22T10:00:00', "must be a string"),
        ('[[document]]\ntitle = "无名"', "missing or non-string 'id'"),
        ('[[document]]\nid = "../000_a.txt"', "'id' must be the name of a .txt file"),
        (f'title = "x"\n[[document]]\nid = "{A}"', "unknown top-level key 'title'"),
        ('document = "x"', "array of tables"),
    ],
    ids=[
        "malformed", "unterminated-string", "missing-file", "bad-month", "bad-format", "bad-day",
        "cjk-date", "duplicate", "unknown-key", "non-string", "datetime", "no-id", "path-id",
        "top-level-key", "document-not-table",
    ],
)
def test_bad_manifest(folder: Path, body: str, expect: str) -> None:
    write_manifest(folder, body)
    with pytest.raises(CorpusError) as err:
        load_corpus(folder)
    message = str(err.value)
    assert "manifest.toml" in message and expect in message
    assert "\n" not in message


def test_error_names_the_entry(folder: Path) -> None:
    write_manifest(folder, f'[[document]]\nid = "{A}"\n\n[[document]]\nid = "{B}"\ndate = "2021-6-22"')
    with pytest.raises(CorpusError, match=r"#2 \(001_b\.txt\): bad date '2021-6-22'"):
        load_manifest(folder / "manifest.toml")


def test_bom_stripped(tmp_path: Path) -> None:
    (tmp_path / A).write_bytes(b"\xef\xbb\xbf" + "轴承\r\n".encode("utf-8"))
    (doc,) = load_corpus(tmp_path)
    assert doc.original == "轴承\r\n"  # only the BOM is removed


def test_gbk_decoded_and_undecodable_rejected(folder: Path) -> None:
    (folder / "002_gbk.txt").write_bytes("轴承之都".encode("gbk"))
    warnings: list[str] = []
    docs = load_corpus(folder, warnings=warnings)
    assert docs[-1].original == "轴承之都"
    assert warnings == [f"{folder / '002_gbk.txt'}: not UTF-8; decoded as GB18030"]
    (folder / "003_bad.txt").write_bytes(b"abc \xff\xfe\xfd")
    with pytest.raises(CorpusError, match=r"003_bad\.txt: not UTF-8 or GB18030 text \(byte 0xff at offset 4\)"):
        load_corpus(folder, strict=True)
    assert [d.id for d in load_corpus(folder)] == [A, B, "002_gbk.txt"]


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nowhere")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match="no .txt files"):
        load_corpus(tmp_path)


def test_real_corpus_manifest() -> None:
    docs = load_corpus(CORPUS)
    assert [d.id[:3] for d in docs] == ["000", "001", "002", "003", "004"]
    by_id = {d.id[:3]: d for d in docs}
    assert by_id["000"].date == "2022" and by_id["001"].date == "2024"
    assert by_id["002"].date == "2023" and by_id["003"].date == "2024"
    assert by_id["004"].date == "2021-06-22" and by_id["004"].publisher == "慈溪市科学技术局"
    for d in docs:
        assert d.title and d.publisher and d.date_basis and d.place
        assert d.original == (CORPUS / d.id).read_bytes().decode("utf-8")
