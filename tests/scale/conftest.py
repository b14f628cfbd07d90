"""A small corpus for the scale tests: the shortest article of ``corpus/`` cut at
line breaks into three documents (so builds stay quick)."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def three_docs() -> dict[str, str]:
    text = min((p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")), key=len)
    lines = text.splitlines(keepends=True)
    cut = [0, len(lines) // 3, 2 * len(lines) // 3, len(lines)]
    return {f"doc{i}.txt": "".join(lines[cut[i]:cut[i + 1]]) for i in range(3)}


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in three_docs().items():
        assert text.strip()
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.json")}
