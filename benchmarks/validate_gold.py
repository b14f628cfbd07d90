"""Check the hand annotations of a held-out set against its texts.

    python3 benchmarks/validate_gold.py benchmarks/heldout5

For every ``gold/<doc>.json`` of the set: ids are unique; every name and alias occurs in the
text once whitespace, line breaks and quotation marks are removed; every evidence string
occurs in the text once whitespace is removed (a note, not an error, when it is not verbatim
in the line-joined text); every subject and object is an entity id of the same file (or
``DOC`` for authorOf). A figure value not written as digits in its evidence (七成, 千亿元) is
listed as ``VAL?`` for a human to check. Prints the counts per file; exits 1 on any error.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

QUOTES = {ord(c): None for c in "“”‘’\"'「」"}


def _no_space(s: str) -> str:
    return re.sub(r"\s", "", s)


def check(folder: Path) -> int:
    bad = 0
    for gf in sorted((folder / "gold").glob("*.json")):
        d = json.loads(gf.read_text(encoding="utf-8"))
        raw = (folder / "corpus" / d["doc"]).read_text(encoding="utf-8")
        joined, bare = raw.replace("\n", ""), _no_space(raw)
        unquoted = bare.translate(QUOTES)
        ids = [e["id"] for e in d["entities"]]
        if len(set(ids)) != len(ids):
            print(gf.name, "DUPLICATE ID")
            bad += 1
        for e in d["entities"]:
            for name in [e["name"], *e.get("aliases", [])]:
                if name.translate(QUOTES) not in unquoted:
                    print(gf.name, "NAME", name)
                    bad += 1
        for x in d["relations"] + d["figures"]:
            ends = [x["subject"]] + ([x["object"]] if "object" in x else [])
            if any(i is not None and i != "DOC" and i not in ids for i in ends):
                print(gf.name, "ID", x)
                bad += 1
            if x["evidence"] not in joined:
                print(gf.name, "EVIDENCE not verbatim (line-joined)", x["evidence"])
            if _no_space(x["evidence"]) not in bare:
                print(gf.name, "EVIDENCE", x["evidence"])
                bad += 1
        for f in d["figures"]:
            v = f["value"]
            digits = str(v).rstrip("0").rstrip(".") if isinstance(v, float) else str(v)
            if digits not in _no_space(f["evidence"]):
                print(gf.name, "VAL?", f)
        print(gf.name, len(d["entities"]), len(d["relations"]), len(d["figures"]))
    print("errors", bad)
    return bad


if __name__ == "__main__":
    if len(sys.argv) != 2 or not (Path(sys.argv[1]) / "gold").is_dir():
        sys.exit("usage: python3 benchmarks/validate_gold.py benchmarks/heldoutN")
    sys.exit(1 if check(Path(sys.argv[1])) else 0)
