"""Read a corpus folder: every ``*.txt`` (UTF-8) plus its ``manifest.toml``.

Manifest format (``<folder>/manifest.toml``, optional)::

    # one [[document]] table per corpus file; every key but ``id`` is optional
    [[document]]
    id = "000_9c23c85fa6d8a88a.txt"   # the file name in this folder (a .txt)
    title = "轴承之都积蓄新优势"          # the headline, as printed
    publisher = "unknown"              # the issuing paper / body; "unknown" if
                                       # the text does not say
    date = "2022"                      # ISO 8601, as precise as the evidence
                                       # allows: YYYY, YYYY-MM or YYYY-MM-DD
                                       # (a bare TOML date 2021-06-22 is accepted)
    date_basis = "…"                   # how the date follows from the text
    place = "辽宁省瓦房店市"              # where the document is set

Values are strings; no other keys or top-level tables are allowed.  A ``.txt``
file without an entry is still loaded (its metadata is None).  Every problem
with the manifest or the folder — malformed TOML, an unknown key, a non-string
value, a bad date, a duplicate id, an entry naming a missing file, an empty or
missing folder — raises :class:`~kg.errors.CorpusError` with a one-line message
naming the file and entry: the manifest is configuration, so it must be right.

A bad *document* is different: an empty, binary, undecodable, unreadable or
oversized file, a file name that is not valid UTF-8, or two file names that are
the same id once Unicode-normalised and case-folded.  :func:`load_corpus`
skips it with a one-line warning naming the file (appended to ``warnings``),
so one bad file does not stop the others; with ``strict=True`` it raises
:class:`~kg.errors.CorpusError` instead.

Decoding (:func:`decode_text`): UTF-8 (a leading BOM removed), UTF-16 with a
BOM, else GB18030 (which includes GBK and GB2312) if the result is plausible
Chinese text; the encoding used is reported.  Nothing else is changed:
offsets point into the decoded text, CRLF line ends included.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata
from pathlib import Path

from kg.errors import CorpusError
from kg.models import Document

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

MANIFEST = "manifest.toml"
FIELDS = ("title", "publisher", "date", "date_basis", "place")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_BOM = b"\xef\xbb\xbf"


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _shown(path: str | Path) -> str:
    """A path for a message: bytes that are not UTF-8 as \\xNN (see display_name)."""
    return display_name(str(path))


def _check_date(value: str, where: str) -> None:
    m = _DATE.fullmatch(value)
    try:
        if not m:
            raise ValueError
        year, month, day = m.groups()
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise CorpusError(
            f"{where}: bad date {value!r} (expected ISO YYYY-MM-DD, YYYY-MM or YYYY)"
        ) from None


def load_manifest(path: str | Path) -> dict[str, dict]:
    """Parse and validate a manifest: ``{file name: {field: value}}``.

    Entries must name existing ``.txt`` files next to the manifest.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as e:
        raise CorpusError(f"{_shown(path)}: cannot read manifest: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise CorpusError(f"{_shown(path)}: manifest is not valid UTF-8 (byte {e.start})") from None
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(f"{_shown(path)}: malformed TOML: {_one_line(e)}") from None

    unknown = sorted(set(data) - {"document"})
    if unknown:
        raise CorpusError(f"{_shown(path)}: unknown top-level key {unknown[0]!r} (expected [[document]] tables)")
    entries = data.get("document", [])
    if not isinstance(entries, list) or not all(isinstance(x, dict) for x in entries):
        raise CorpusError(f"{_shown(path)}: 'document' must be an array of tables ([[document]])")

    manifest: dict[str, dict] = {}
    for n, entry in enumerate(entries, 1):
        doc_id = entry.get("id")
        where = f"{_shown(path)}: [[document]] #{n}" + (f" ({doc_id})" if isinstance(doc_id, str) else "")
        if not isinstance(doc_id, str) or not doc_id:
            raise CorpusError(f"{where}: missing or non-string 'id'")
        if Path(doc_id).name != doc_id or not doc_id.endswith(".txt"):
            raise CorpusError(f"{where}: 'id' must be the name of a .txt file in {_shown(path.parent)}")
        if doc_id in manifest:
            raise CorpusError(f"{where}: duplicate id {doc_id!r}")
        if not (path.parent / doc_id).is_file():
            raise CorpusError(f"{where}: names a missing file {doc_id!r}")
        meta: dict[str, str] = {}
        for key, value in entry.items():
            if key == "id":
                continue
            if key not in FIELDS:
                raise CorpusError(f"{where}: unknown key {key!r} (allowed: id, {', '.join(FIELDS)})")
            if key == "date" and type(value) is _dt.date:
                value = value.isoformat()
            if not isinstance(value, str):
                raise CorpusError(f"{where}: {key!r} must be a string, not {type(value).__name__}")
            if key == "date":
                _check_date(value, where)
            meta[key] = value
        manifest[doc_id] = meta
    return manifest


#: the largest document read, in bytes (``kg build --max-file-mb``).  A news
#: article is 10–50 kB.  Extraction time grows faster than the size (measured by
#: scripts/measure_input_sizes.py: 1 MiB in 26 s, 2 MiB in 77 s), so a larger
#: file would take many minutes, and is almost surely not an article anyway (a
#: dump, a log, a mis-saved binary).
MAX_FILE_BYTES = 2 * 1024 * 1024  # 2 MiB

_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
#: characters plausible in Chinese prose (used to accept a GB18030 decoding)
_PLAUSIBLE = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3000-\u303f"
    r"\uff00-\uffef\u2000-\u206f\u20a0-\u20cf\u00a0-\u00ff\u2100-\u26ff\x20-\x7e\t\n\r]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def display_name(name: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 shown as \\xNN."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def decode_text(raw: bytes, where: str) -> tuple[str, str]:
    """``raw`` decoded: ``(text, encoding)``; CorpusError naming ``where`` if it is
    binary or in no encoding we can tell."""
    for bom, enc in _UTF16_BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(enc), "UTF-16"
            except UnicodeDecodeError:
                raise CorpusError(f"{where}: starts with a UTF-16 byte order mark but is not UTF-16") from None
    encoding = "UTF-8"
    if raw.startswith(_BOM):
        raw, encoding = raw[len(_BOM) :], "UTF-8 with BOM"
    if b"\x00" in raw:
        raise CorpusError(f"{where}: binary file (holds NUL bytes), not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = e.start
        text = None
        if encoding == "UTF-8":  # no BOM: try the Chinese national encoding
            try:
                cand = raw.decode("gb18030")
            except UnicodeDecodeError:
                cand = None
            if cand is not None and len(_PLAUSIBLE.findall(cand)) >= 0.9 * len(cand):
                text, encoding = cand, "GB18030"
        if text is None:
            raise CorpusError(
                f"{where}: not UTF-8 or GB18030 text (byte 0x{raw[bad]:02x} at offset {bad})"
            ) from None
    if len(_CONTROL.findall(text)) > 0.1 * len(text):
        raise CorpusError(f"{where}: binary file (mostly control characters), not text")
    return text, encoding


def read_text(path: Path, max_bytes: int | None = MAX_FILE_BYTES) -> tuple[str, str]:
    """The text of one corpus file and its encoding; CorpusError (naming the file)
    if it cannot be used: unreadable, too large, empty, binary, undecodable."""
    where = display_name(str(path))
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise CorpusError(
                f"{where}: {size / 2**20:.1f} MiB is over the limit of {max_bytes / 2**20:g} MiB "
                "for one document (kg build --max-file-mb)"
            )
        chunks, total = [], 0
        with open(path, "rb") as fh:  # in chunks: stop past the limit (the file may grow)
            while chunk := fh.read(1 << 20):
                chunks.append(chunk)
                total += len(chunk)
                if max_bytes is not None and total > max_bytes:
                    raise CorpusError(
                        f"{where}: over the limit of {max_bytes / 2**20:g} MiB for one document")
        raw = b"".join(chunks)
    except OSError as e:
        raise CorpusError(f"{where}: cannot read: {e.strerror or e}") from None
    text, encoding = decode_text(raw, where)
    if not text.strip():
        raise CorpusError(f"{where}: empty file" + (" (only whitespace)" if text else ""))
    return text, encoding


def _id_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def load_corpus(
    folder: str | Path,
    *,
    strict: bool = False,
    warnings: list[str] | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
) -> list[Document]:
    """Every usable ``*.txt`` in ``folder`` as a :class:`Document`, sorted by file name.

    A bad document is skipped with a one-line warning appended to ``warnings``
    (or raises CorpusError if ``strict``); a document decoded from another
    encoding than UTF-8 gets a warning saying so.  If no document is usable,
    CorpusError.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{_shown(folder)}: corpus folder does not exist")
    files = sorted((p for p in folder.glob("*.txt") if p.is_file()), key=lambda p: p.name)
    if not files:
        raise CorpusError(f"{_shown(folder)}: no .txt files in the corpus folder")
    manifest_path = folder / MANIFEST
    manifest = load_manifest(manifest_path) if manifest_path.is_file() else {}
    notes = warnings if warnings is not None else []

    def bad(err: CorpusError) -> None:
        if strict:
            raise err
        notes.append(f"{err} (skipped)")

    docs = []
    seen: dict[str, str] = {}
    for p in files:
        if display_name(p.name) != p.name:
            bad(CorpusError(f"{display_name(str(p))}: file name is not valid UTF-8"))
            continue
        key = _id_key(p.name)
        if key in seen:
            bad(CorpusError(f"{_shown(p)}: same document id as {seen[key]!r} once Unicode-normalised "
                            "and case-folded"))
            continue
        try:
            text, encoding = read_text(p, max_bytes)
        except CorpusError as err:
            bad(err)
            continue
        seen[key] = p.name
        if encoding not in ("UTF-8", "UTF-8 with BOM"):
            notes.append(f"{_shown(p)}: not UTF-8; decoded as {encoding}")
        meta = manifest.get(p.name, {})
        docs.append(Document(id=p.name, original=text, path=str(p), **meta))
    if not docs:
        raise CorpusError(f"{_shown(folder)}: no usable document ({len(files)} file(s) skipped)")
    return docs
