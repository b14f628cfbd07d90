"""Find entities by name in a loaded ``graph.json`` (no NLP imports).

    results = lookup(json.load(open("outputs/graph.json")), "华精")
    print(format_lookup(results))

Matching (after NFKC, case folding and removing spaces): the canonical name
equals the query ("exact"), an alias equals it ("alias"), or the query is part
of the name or of an alias, or the name or an alias is part of the query
("partial"), or, when these give fewer than ``limit`` entities, the name or an
alias is close to the query (rapidfuzz ``WRatio`` ≥ ``FUZZY_CUTOFF``: "fuzzy",
for typos and near-misses such as 瓦房店轴成). Ranked exact > alias > partial >
fuzzy; partial matches that contain the query before those contained in it, each
by number of mentions (more first); fuzzy ones by score; then by name and id.

It reads only the build's ``graph.json``: no spaCy, no jieba.
"""

from __future__ import annotations

import unicodedata
from typing import Any

__all__ = ["lookup", "format_lookup", "MATCH_RANK", "FUZZY_CUTOFF"]

MATCH_RANK = {"exact": 0, "alias": 1, "partial": 2, "fuzzy": 3}
#: the least rapidfuzz WRatio (0–100) a fuzzy match needs
FUZZY_CUTOFF = 70.0


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
            rank = MATCH_RANK[how]
            if how == "partial" and not any(q in c for c in (n, *aliases)):
                rank += 0.5  # only a name or alias inside the query (中国 in 中国科学院…): weaker
            hits.append((rank, -len(e.get("mentions", [])), e["name"], e["id"], how, e))
    if not limit or limit <= 0 or len(hits) < limit:
        hits += _fuzzy(ix, q, {h[3] for h in hits})
    hits.sort(key=lambda h: h[:4])
    if limit and limit > 0:
        hits = hits[:limit]
    results = []
    for rank, score, _name, _id, how, e in hits:
        r = _result(ix, e, how)
        r["score"] = round(-score, 1) if how == "fuzzy" else None
        results.append(r)
    return results


def _fuzzy(ix: _ExportIndex, q: str, seen: set[str]) -> list[tuple]:
    """Entities not in ``seen`` whose name or an alias is close to ``q``
    (rapidfuzz, imported only when a lookup gets this far)."""
    from rapidfuzz import fuzz

    out = []
    for e, n, aliases in ix.keys:
        if e["id"] in seen:
            continue
        best = max(fuzz.WRatio(q, cand) for cand in (n, *aliases) if cand) if n or aliases else 0
        if best >= FUZZY_CUTOFF:
            out.append((MATCH_RANK["fuzzy"], -best, e["name"], e["id"], "fuzzy", e))
    return out


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
    posts = [
        {
            "person": r["subject"],
            "person_name": ix.name_of(r["subject"]),
            "organization": r.get("object"),
            "organization_name": ix.name_of(r.get("object")),
            "title": r.get("title"),
            "doc": r.get("doc"),
            "evidence": r.get("evidence"),
        }
        for r in ix.rels_of.get(iri, []) if r["predicate"] == "holdsPosition"
    ]
    figures = [
        {
            "metric": f.get("metric"),
            "value": f.get("value"),
            "unit": f.get("unit"),
            "period": f.get("period"),
            "period_normalized": f.get("period_normalized"),
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
        "posts": posts,
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
        how = f"{r['match']} match" + (f", score {r['score']:g}" if r.get("score") is not None else "")
        lines = [f"{r['name']}  [{r['type']}]  ({how})", f"  id: {r['id']}"]
        if r["aliases"]:
            lines.append(f"  aliases: {', '.join(r['aliases'])}")
        docs = r["documents"]
        lines.append(f"  mentions: {r['n_mentions']} in {len(docs)} document{'s' if len(docs) != 1 else ''}"
                     + (f": {', '.join(docs[:5])}{' …' if len(docs) > 5 else ''}" if docs else ""))
        if r.get("posts"):
            lines.append("  posts:")
            for p in r["posts"]:
                lines.append(f"    - {p['person_name']}: {p.get('title') or '(post)'}, "
                             f"{p['organization_name']}   [{p.get('doc') or ''}]")
                if p.get("evidence"):
                    lines.append(f"      “{p['evidence']}”")
        others = [rel for rel in r["relations"] if rel["predicate"] != "holdsPosition"]
        if others:
            lines.append("  relations:")
            for rel in others:
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
                period = f.get("period") or ""
                norm = f.get("period_normalized")
                if norm and norm not in period:
                    period = f"{period} ({norm})" if period else norm
                head = " ".join(x for x in (period, f.get("metric") or "") if x)
                val = f"{_num(f.get('value'))}{f.get('unit') or ''}"
                if f.get("qualifier"):
                    val += f" ({f['qualifier']})"
                lines.append(f"    - {head + ': ' if head else ''}{val}   [{f.get('doc') or ''}]")
                if f.get("evidence"):
                    lines.append(f"      “{f['evidence']}”")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
