"""Find entities by name in a loaded ``graph.json`` (no NLP imports).

    results = lookup(json.load(open("outputs/graph.json")), "华精")
    print(format_lookup(results))

Matching (after NFKC, case folding and removing spaces): the canonical name
equals the query ("exact"), an alias equals it ("alias"), or the query is part
of the name or of an alias, or the name or an alias is part of the query
("partial"). Ranked exact > alias > partial, then by number of mentions
(more first), then by name and id.
"""

from __future__ import annotations

import unicodedata
from typing import Any

__all__ = ["lookup", "format_lookup", "MATCH_RANK"]

MATCH_RANK = {"exact": 0, "alias": 1, "partial": 2}


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").casefold().split())


class _ExportIndex:
    """What a lookup needs from an export, built once per export dict."""

    def __init__(self, export: dict):
        self.entities: list[dict] = list(export.get("entities", []))
        self.by_id: dict[str, dict] = {e["id"]: e for e in self.entities}
        self.docs: dict[str, dict] = {}
        for d in export.get("documents", []):
            self.docs[d["iri"]] = d
        self.rels_of: dict[str, list[dict]] = {}
        for r in export.get("relations", []):
            self.rels_of.setdefault(r["subject"], []).append(r)
            if r.get("object") != r["subject"]:
                self.rels_of.setdefault(r.get("object"), []).append(r)
        self.figs_of: dict[str, list[dict]] = {}
        for f in export.get("figures", []):
            if f.get("subject"):
                self.figs_of.setdefault(f["subject"], []).append(f)
        self.keys = [
            (e, _norm(e["name"]), [_norm(a) for a in e.get("aliases", [])]) for e in self.entities
        ]

    def name_of(self, iri: str | None) -> str:
        if iri is None:
            return ""
        e = self.by_id.get(iri)
        if e is not None:
            return e["name"]
        d = self.docs.get(iri)
        if d is not None:
            return d.get("title") or d["id"]
        return iri.rsplit("/", 1)[-1]

    def type_of(self, iri: str | None) -> str | None:
        e = self.by_id.get(iri) if iri else None
        if e is not None:
            return e["type"]
        return "Document" if iri in self.docs else None


# an export dict is usually looked up many times (kg lookup, kg serve): cache its index
_CACHE: dict[int, tuple[dict, _ExportIndex]] = {}


def _index(export: dict) -> _ExportIndex:
    hit = _CACHE.get(id(export))
    if hit is not None and hit[0] is export:
        return hit[1]
    ix = _ExportIndex(export)
    _CACHE.clear()
    _CACHE[id(export)] = (export, ix)
    return ix


def _match(q: str, name: str, aliases: list[str]) -> str | None:
    if name == q:
        return "exact"
    if q in aliases:
        return "alias"
    for cand in [name, *aliases]:
        if cand and (q in cand or cand in q):
            return "partial"
    return None


def lookup(export: dict, name: str, limit: int = 10) -> list[dict]:
    """Entities matching ``name``, best first, at most ``limit`` (0 or less: all)."""
    q = _norm(name)
    if not q:
        return []
    ix = _index(export)
    hits = []
    for e, n, aliases in ix.keys:
        how = _match(q, n, aliases)
        if how is not None:
            hits.append((MATCH_RANK[how], -len(e.get("mentions", [])), e["name"], e["id"], how, e))
    hits.sort(key=lambda h: h[:4])
    if limit and limit > 0:
        hits = hits[:limit]
    return [_result(ix, e, how) for *_, how, e in hits]


def _result(ix: _ExportIndex, e: dict, how: str) -> dict:
    iri = e["id"]
    mentions = e.get("mentions", [])
    relations = []
    for r in ix.rels_of.get(iri, []):
        outgoing = r["subject"] == iri
        other = r.get("object") if outgoing else r["subject"]
        relations.append(
            {
                "direction": "out" if outgoing else "in",
                "predicate": r["predicate"],
                "title": r.get("title"),
                "other": other,
                "other_name": ix.name_of(other),
                "other_type": ix.type_of(other),
                "doc": r.get("doc"),
                "evidence": r.get("evidence"),
            }
        )
    figures = [
        {
            "metric": f.get("metric"),
            "value": f.get("value"),
            "unit": f.get("unit"),
            "period": f.get("period"),
            "qualifier": f.get("qualifier"),
            "value_normalized": f.get("value_normalized"),
            "unit_normalized": f.get("unit_normalized"),
            "doc": f.get("doc"),
            "evidence": f.get("evidence"),
        }
        for f in ix.figs_of.get(iri, [])
    ]
    return {
        "id": iri,
        "name": e["name"],
        "type": e["type"],
        "aliases": list(e.get("aliases", [])),
        "match": how,
        "n_mentions": len(mentions),
        "documents": sorted({m["doc"] for m in mentions if m.get("doc")}),
        "relations": relations,
        "figures": figures,
    }


def _num(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def format_lookup(results: list[dict]) -> str:
    """Readable text: one block per entity with its facts and their sentences."""
    if not results:
        return "no entity found"
    blocks = []
    for r in results:
        lines = [f"{r['name']}  [{r['type']}]  ({r['match']} match)", f"  id: {r['id']}"]
        if r["aliases"]:
            lines.append(f"  aliases: {', '.join(r['aliases'])}")
        docs = r["documents"]
        lines.append(f"  mentions: {r['n_mentions']} in {len(docs)} document{'s' if len(docs) != 1 else ''}"
                     + (f": {', '.join(docs[:5])}{' …' if len(docs) > 5 else ''}" if docs else ""))
        if r["relations"]:
            lines.append("  relations:")
            for rel in r["relations"]:
                pred = rel["predicate"] + (f" ({rel['title']})" if rel.get("title") else "")
                if rel["direction"] == "out":
                    fact = f"{r['name']} —{pred}→ {rel['other_name']}"
                else:
                    fact = f"{rel['other_name']} —{pred}→ {r['name']}"
                lines.append(f"    - {fact}   [{rel.get('doc') or ''}]")
                if rel.get("evidence"):
                    lines.append(f"      “{rel['evidence']}”")
        if r["figures"]:
            lines.append("  figures:")
            for f in r["figures"]:
                head = " ".join(x for x in (f.get("period") or "", f.get("metric") or "") if x)
                val = f"{_num(f.get('value'))}{f.get('unit') or ''}"
                if f.get("qualifier"):
                    val += f" ({f['qualifier']})"
                lines.append(f"    - {head + ': ' if head else ''}{val}   [{f.get('doc') or ''}]")
                if f.get("evidence"):
                    lines.append(f"      “{f['evidence']}”")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
