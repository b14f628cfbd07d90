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
file without an entry is still loaded (its metadata is None).  Every problem —
malformed TOML, an unknown key, a non-string value, a bad date, a duplicate id,
an entry naming a missing file, an unreadable or non-UTF-8 file, an empty or
missing folder — raises :class:`~kg.errors.CorpusError` with a one-line
message naming the file and entry.  Texts are decoded as UTF-8 with a leading
BOM removed and nothing else changed (offsets point into them).
"""

from __future__ import annotations

import datetime as _dt
import re
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
        raise CorpusError(f"{path}: cannot read manifest: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise CorpusError(f"{path}: manifest is not valid UTF-8 (byte {e.start})") from None
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(f"{path}: malformed TOML: {_one_line(e)}") from None

    unknown = sorted(set(data) - {"document"})
    if unknown:
        raise CorpusError(f"{path}: unknown top-level key {unknown[0]!r} (expected [[document]] tables)")
    entries = data.get("document", [])
    if not isinstance(entries, list) or not all(isinstance(x, dict) for x in entries):
        raise CorpusError(f"{path}: 'document' must be an array of tables ([[document]])")

    manifest: dict[str, dict] = {}
    for n, entry in enumerate(entries, 1):
        doc_id = entry.get("id")
        where = f"{path}: [[document]] #{n}" + (f" ({doc_id})" if isinstance(doc_id, str) else "")
        if not isinstance(doc_id, str) or not doc_id:
            raise CorpusError(f"{where}: missing or non-string 'id'")
        if Path(doc_id).name != doc_id or not doc_id.endswith(".txt"):
            raise CorpusError(f"{where}: 'id' must be the name of a .txt file in {path.parent}")
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


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CorpusError(f"{path}: cannot read: {e.strerror}") from None
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CorpusError(f"{path}: not valid UTF-8 (byte {e.start})") from None


def load_corpus(folder: str | Path) -> list[Document]:
    """Every ``*.txt`` in ``folder`` as a :class:`Document`, sorted by file name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: corpus folder does not exist")
    files = sorted((p for p in folder.glob("*.txt") if p.is_file()), key=lambda p: p.name)
    if not files:
        raise CorpusError(f"{folder}: no .txt files in the corpus folder")
    manifest_path = folder / MANIFEST
    manifest = load_manifest(manifest_path) if manifest_path.is_file() else {}
    docs = []
    for p in files:
        meta = manifest.get(p.name, {})
        docs.append(Document(id=p.name, original=_read_text(p), path=str(p), **meta))
    return docs
