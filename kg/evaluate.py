"""Score a build's JSON export against the gold files (``kg eval --gold DIR``).

Inputs: the loaded ``graph.json`` dict (see ``shared/spec/export-schema.md``) and a folder
of gold files ``<doc id>.json`` (see ``the gold folder's GUIDELINE.md``).

Matching rules
--------------
Documents
    Scoring is per document. A gold file's document id is its file name minus ``.json``
    (its ``doc`` field, when present, must agree). Scored = gold documents that the export
    lists in ``documents``; export documents without a gold file are ignored, and gold
    documents the export does not contain are skipped. Both lists are reported.
Normalisation
    Every name, alias, mention text, title and period is compared with all whitespace and
    the quotation marks “”‘’"'「」『』《》 removed.
Entities
    A built entity counts in a document when one of its ``mentions`` has that ``doc``.
    Its forms there: the texts of those mentions, its name and its aliases. Gold forms:
    name + aliases. Alignment is one-to-one and greedy: first pass, pairs whose names are
    equal; second pass, pairs whose form sets intersect; in each pass gold entities in file
    order, each taking the first free built entity in id order.
    Typed: an aligned pair of equal types is a TP of that type; of different types, a FN
    of the gold type and a FP of the built type. Unaligned gold → FN, unaligned built → FP
    of their types. Untyped: every aligned pair is a TP. "organizations" sums the typed
    counts of Company, GovernmentBody, ResearchInstitution and Organization.
Relations
    Built relations listed with the document, deduplicated on (subject, predicate, object);
    gold relations likewise. A built relation matches a gold one when the predicates are
    equal, the built subject is aligned (type ignored) with the gold subject and the object
    likewise. Gold object "DOC" (authorOf) matches the document's ``iri`` from
    ``export["documents"]``; when the export gives no iri, any object that is not an entity.
    One-to-one, gold in file order. holdsPosition titles do not affect matching; their
    agreement over matched pairs is reported separately.
Figures
    Built figures with that ``doc``. A pair is a candidate when the values are equal
    (relative tolerance 1e-9) and the units are equal after removing whitespace. One-to-one,
    greedy over candidates ordered by most shared metric characters (multiset), then longest
    common evidence substring, then gold order, then built order. Scores: value+unit P/R/F1;
    "subject correct" = gold figures whose matched figure's subject is aligned with the gold
    subject (null ⇔ null) / all gold figures; "period as written" = gold figures whose matched
    figure has the same normalised period (null == null == "") / all gold figures.
Resolution
    In each document, a built entity whose forms meet the forms of two or more gold entities
    is a false merge; a gold entity whose forms meet two or more built entities is a split.
    Forms that two gold entities of the document share are ignored.
P/R/F1 are 0.0 when their denominator is 0.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from kg.errors import KgError
from kg.models import EntityType, Predicate

ENTITY_TYPES = [t.value for t in EntityType]
ORG_TYPES = ["Company", "GovernmentBody", "ResearchInstitution", "Organization"]
PREDICATES = [p.value for p in Predicate]
_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』《》")


def norm(text) -> str:
    """Whitespace and quotation marks removed; None → ""."""
    return "" if text is None else "".join(str(text).split()).translate(_QUOTES)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


def _ratio(correct: int, total: int) -> dict:
    return {"correct": correct, "total": total, "rate": correct / total if total else 0.0}


@dataclass
class EvalReport:
    scored: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # export documents without gold
    not_in_export: list[str] = field(default_factory=list)  # gold documents not built
    entities: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in ENTITY_TYPES})
    untyped: Counts = field(default_factory=Counts)
    relations: dict[str, Counts] = field(default_factory=lambda: {p: Counts() for p in PREDICATES})
    title_agree: int = 0
    title_matched: int = 0
    figures: Counts = field(default_factory=Counts)
    figure_subject_correct: int = 0
    figure_period_correct: int = 0
    figure_total: int = 0
    false_merges: int = 0  # built entities whose forms in a document belong to 2+ gold entities
    splits: int = 0  # gold entities whose forms in a document are spread over 2+ built entities
    misses: dict[str, dict[str, list[dict]]] = field(default_factory=dict)

    @property
    def entities_all(self) -> Counts:
        return sum(self.entities.values(), Counts())

    @property
    def organizations(self) -> Counts:
        return sum((self.entities[t] for t in ORG_TYPES), Counts())

    @property
    def relations_all(self) -> Counts:
        return sum(self.relations.values(), Counts())

    def to_dict(self) -> dict:
        return {
            "documents": {"scored": self.scored, "ignored": self.ignored,
                          "not_in_export": self.not_in_export},
            "entities": {"by_type": {t: c.to_dict() for t, c in self.entities.items()},
                         "all_typed": self.entities_all.to_dict(),
                         "all_untyped": self.untyped.to_dict(),
                         "organizations": self.organizations.to_dict()},
            "relations": {"by_predicate": {p: c.to_dict() for p, c in self.relations.items()},
                          "all": self.relations_all.to_dict(),
                          "holdsPosition_title_agreement":
                              _ratio(self.title_agree, self.title_matched)},
            "figures": {"value_unit": self.figures.to_dict(),
                        "subject_correct": _ratio(self.figure_subject_correct, self.figure_total),
                        "period_as_written": _ratio(self.figure_period_correct, self.figure_total)},
            "resolution": {"false_merges": self.false_merges, "splits": self.splits},
            "misses": self.misses,
        }


# ---------------------------------------------------------------- gold files

def load_gold(gold_dir: str | Path) -> dict[str, dict]:
    """{doc id: gold dict} for every ``*.json`` in ``gold_dir``; KgError when unusable."""
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise KgError(f"gold dir {folder} does not exist")
    files = sorted(folder.glob("*.json"))
    if not files:
        raise KgError(f"gold dir {folder} holds no *.json files")
    return {f.name[: -len(".json")]: _read_gold(f) for f in files}


def _read_gold(path: Path) -> dict:
    doc = path.name[: -len(".json")]

    def bad(why: str) -> KgError:
        return KgError(f"malformed gold file {path}: {why}")

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise bad(str(err).splitlines()[0]) from err
    except json.JSONDecodeError as err:
        raise bad(f"invalid JSON ({err.msg}, line {err.lineno})") from err
    if not isinstance(data, dict):
        raise bad("not a JSON object")
    if data.get("doc", doc) != doc:
        raise bad(f"doc {data.get('doc')!r} does not match the file name")
    for key in ("entities", "relations", "figures"):
        if not isinstance(data.setdefault(key, []), list) or \
                not all(isinstance(x, dict) for x in data[key]):
            raise bad(f"{key!r} is not a list of objects")
    ids: set[str] = set()
    for i, ent in enumerate(data["entities"]):
        if not all(isinstance(ent.get(k), str) for k in ("id", "name", "type")) or ent["id"] in ids:
            raise bad(f"entity #{i + 1} lacks a string id/name/type or repeats an id")
        if not isinstance(ent.setdefault("aliases", []), list):
            raise bad(f"entity {ent['id']!r}: aliases is not a list")
        ids.add(ent["id"])
    for i, rel in enumerate(data["relations"]):
        if rel.get("subject") not in ids or not isinstance(rel.get("predicate"), str) or \
                (rel.get("object") not in ids and rel.get("object") != "DOC"):
            raise bad(f"relation #{i + 1} lacks a predicate or names an unknown entity")
    for i, fig in enumerate(data["figures"]):
        if _number(fig.get("value")) is None or (fig.get("subject") not in ids | {None}):
            raise bad(f"figure #{i + 1} has no numeric value or names an unknown entity")
    return data


def _unit(figure: dict) -> str:
    return "".join(str(figure.get("unit") or "").split())


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- scoring

def evaluate(export: dict, gold_dir: str | Path) -> EvalReport:
    """Score ``export`` (the loaded graph.json) against the gold files in ``gold_dir``."""
    gold = load_gold(gold_dir)
    docs = {d["id"]: d for d in export.get("documents", [])}
    report = EvalReport(scored=[d for d in gold if d in docs],
                        ignored=sorted(d for d in docs if d not in gold),
                        not_in_export=[d for d in gold if d not in docs])
    if not report.scored:
        raise KgError(f"none of the {len(gold)} gold documents in {gold_dir} is in the export")
    entities = sorted(export.get("entities", []), key=lambda e: str(e.get("id")))
    by_id = {e["id"]: e for e in entities}
    for doc in report.scored:
        built = [e for e in entities if any(m.get("doc") == doc for m in e.get("mentions", []))]
        misses = {"entities_missed": [], "entities_spurious": [], "relations_missed": [],
                  "relations_spurious": [], "figures_missed": [], "figures_spurious": [], "figures_disagree": [],
                  "false_merges": [], "splits": []}
        b2g = _align(gold[doc]["entities"], built, doc)
        _score_resolution(report, gold[doc]["entities"], built, doc, misses)
        _score_entities(report, gold[doc]["entities"], built, b2g, misses)
        _score_relations(report, gold[doc], export, doc, docs[doc].get("iri"), b2g, by_id, misses)
        _score_figures(report, gold[doc], export, doc, b2g, by_id, misses)
        report.misses[doc] = misses
    return report


def _forms(gold_ents: list[dict], built: list[dict], doc: str) -> tuple[dict, dict]:
    """({gold id: its normalised forms}, {built id: its normalised forms in ``doc``})."""
    gforms = {g["id"]: {norm(f) for f in [g["name"], *g["aliases"]]} - {""} for g in gold_ents}
    bforms = {b["id"]: {norm(f) for f in [b.get("name"), *b.get("aliases", []),
                                          *(m.get("text") for m in b.get("mentions", [])
                                            if m.get("doc") == doc)]} - {""} for b in built}
    return gforms, bforms


def _score_resolution(report, gold_ents, built, doc, misses) -> None:
    """False merges (one built entity, 2+ gold entities) and splits (the reverse) in ``doc``.

    A form shared by two gold entities of the document is ambiguous and ignored."""
    gforms, bforms = _forms(gold_ents, built, doc)
    owners = Counter(f for forms in gforms.values() for f in forms)
    gnames = {g["id"]: g["name"] for g in gold_ents}
    for b in built:
        hit = sorted({g for g, forms in gforms.items()
                      if any(owners[f] == 1 for f in forms & bforms[b["id"]])})
        if len(hit) > 1:
            report.false_merges += 1
            misses["false_merges"].append({"name": b.get("name"),
                                           "gold": [gnames[g] for g in hit]})
    for g in gold_ents:
        unique = {f for f in gforms[g["id"]] if owners[f] == 1}
        hit = [b for b in built if unique & bforms[b["id"]]]
        if len(hit) > 1:
            report.splits += 1
            misses["splits"].append({"name": g["name"], "built": [b.get("name") for b in hit]})


def _align(gold_ents: list[dict], built: list[dict], doc: str) -> dict[str, str]:
    """One-to-one {built id: gold id}: equal names first, then intersecting forms."""
    gforms, bforms = _forms(gold_ents, built, doc)
    b2g: dict[str, str] = {}
    tests = (lambda g, b: norm(g["name"]) != "" and norm(g["name"]) == norm(b.get("name")),
             lambda g, b: bool(gforms[g["id"]] & bforms[b["id"]]))
    for test in tests:
        for g in gold_ents:
            if g["id"] in b2g.values():
                continue
            b = next((b for b in built if b["id"] not in b2g and test(g, b)), None)
            if b is not None:
                b2g[b["id"]] = g["id"]
    return b2g


def _score_entities(report, gold_ents, built, b2g, misses) -> None:
    g2b = {g: b for b, g in b2g.items()}
    built_by_id = {b["id"]: b for b in built}
    for g in gold_ents:
        b = built_by_id.get(g2b.get(g["id"]))
        if b is None:
            report.entities.setdefault(g["type"], Counts()).fn += 1
            report.untyped.fn += 1
            misses["entities_missed"].append({"type": g["type"], "name": g["name"]})
            continue
        report.untyped.tp += 1
        btype = str(b.get("type"))
        if btype == g["type"]:
            report.entities.setdefault(btype, Counts()).tp += 1
        else:
            report.entities.setdefault(g["type"], Counts()).fn += 1
            report.entities.setdefault(btype, Counts()).fp += 1
            misses["entities_missed"].append(
                {"type": g["type"], "name": g["name"], "built_as": btype})
            misses["entities_spurious"].append(
                {"type": btype, "name": b.get("name"), "gold_as": g["type"]})
    for b in built:
        if b["id"] not in b2g:
            report.entities.setdefault(str(b.get("type")), Counts()).fp += 1
            report.untyped.fp += 1
            misses["entities_spurious"].append({"type": str(b.get("type")), "name": b.get("name")})


def _score_relations(report, gold_doc, export, doc, doc_iri, b2g, by_id, misses) -> None:
    gnames = {g["id"]: g["name"] for g in gold_doc["entities"]} | {"DOC": "DOC"}
    gold_rels: dict[tuple, str] = {}
    for r in gold_doc["relations"]:
        gold_rels.setdefault((r["subject"], r["predicate"], r["object"]), norm(r.get("title")))
    built_rels: dict[tuple, set[str]] = {}
    for r in export.get("relations", []):
        if r.get("doc") == doc:
            key = (r.get("subject"), r.get("predicate"), r.get("object"))
            built_rels.setdefault(key, set()).add(norm(r.get("title")))

    def same_object(gobj, bobj) -> bool:
        if gobj == "DOC":
            return bobj == doc_iri if doc_iri else bobj not in by_id
        return b2g.get(bobj) == gobj

    free = list(built_rels)
    for (gs, gp, go), title in gold_rels.items():
        counts = report.relations.setdefault(gp, Counts())
        match = next((k for k in free if k[1] == gp and b2g.get(k[0]) == gs
                      and same_object(go, k[2])), None)
        if match is None:
            counts.fn += 1
            misses["relations_missed"].append(
                {"subject": gnames[gs], "predicate": gp, "object": gnames[go]})
            continue
        free.remove(match)
        counts.tp += 1
        if gp == "holdsPosition":
            report.title_matched += 1
            report.title_agree += title in built_rels[match]

    def name(iri) -> str:
        return "DOC" if iri == doc_iri else str(by_id.get(iri, {}).get("name", iri))

    for bs, bp, bo in free:
        report.relations.setdefault(str(bp), Counts()).fp += 1
        misses["relations_spurious"].append(
            {"subject": name(bs), "predicate": bp, "object": name(bo)})


def _score_figures(report, gold_doc, export, doc, b2g, by_id, misses) -> None:
    gnames = {g["id"]: g["name"] for g in gold_doc["entities"]}
    gold_figs = gold_doc["figures"]
    built = [f for f in export.get("figures", []) if f.get("doc") == doc]

    def overlap(a, b) -> int:
        return sum((Counter(norm(a)) & Counter(norm(b))).values())

    def common(a, b) -> int:
        a, b = norm(a), norm(b)
        match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        return match.size

    candidates = []
    for gi, g in enumerate(gold_figs):
        for bi, b in enumerate(built):
            bval = _number(b.get("value"))
            if bval is not None and math.isclose(_number(g["value"]), bval, rel_tol=1e-9) \
                    and _unit(g) == _unit(b):
                candidates.append((-overlap(g.get("metric"), b.get("metric")),
                                   -common(g.get("evidence"), b.get("evidence")), gi, bi))
    g2b: dict[int, int] = {}
    for *_, gi, bi in sorted(candidates):
        if gi not in g2b and bi not in g2b.values():
            g2b[gi] = bi
    report.figure_total += len(gold_figs)
    report.figures.tp += len(g2b)
    report.figures.fn += len(gold_figs) - len(g2b)
    report.figures.fp += len(built) - len(g2b)
    for gi, g in enumerate(gold_figs):
        if gi not in g2b:
            misses["figures_missed"].append({k: g.get(k) for k in ("value", "unit", "metric")})
            continue
        b = built[g2b[gi]]
        if g.get("subject") is None:
            subject_ok = b.get("subject") is None
        else:
            subject_ok = b2g.get(b.get("subject")) == g["subject"]
        period_ok = norm(g.get("period")) == norm(b.get("period"))
        report.figure_subject_correct += subject_ok
        report.figure_period_correct += period_ok
        if not (subject_ok and period_ok):
            misses["figures_disagree"].append({
                "value": g.get("value"), "unit": g.get("unit"), "metric": g.get("metric"),
                "subject": None if subject_ok else gnames.get(g.get("subject")),
                "built_subject": None if subject_ok else by_id.get(b.get("subject"), {}).get("name"),
                "period": None if period_ok else g.get("period"),
                "built_period": None if period_ok else b.get("period")})
    for bi, b in enumerate(built):
        if bi not in g2b.values():
            misses["figures_spurious"].append({k: b.get(k) for k in ("value", "unit", "metric")})


# ---------------------------------------------------------------- table

def format_table(report: EvalReport, misses: bool = False) -> str:
    """A fixed-width text table of ``report``; with ``misses``, the misses per document."""
    lines = [f"scored {len(report.scored)} gold document(s); "
             f"{len(report.ignored)} export document(s) without gold ignored"]
    if report.not_in_export:
        lines.append("gold documents not in the export: " + ", ".join(report.not_in_export))
    lines += ["", f"{'':32}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}"]

    def row(label: str, c: Counts) -> None:
        lines.append(f"{label:32}{c.tp:>6}{c.fp:>6}{c.fn:>6}"
                     f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}")

    for t, c in report.entities.items():
        row(f"entity {t}", c)
    row("entity ALL typed", report.entities_all)
    row("entity ALL untyped", report.untyped)
    row("entity organizations", report.organizations)
    for p, c in report.relations.items():
        row(f"relation {p}", c)
    row("relation ALL", report.relations_all)
    row("figure value+unit", report.figures)
    n_fig = report.figure_total
    for label, k, n in (("holdsPosition title agreement", report.title_agree, report.title_matched),
                        ("figure subject correct", report.figure_subject_correct, n_fig),
                        ("figure period as written", report.figure_period_correct, n_fig)):
        lines.append(f"{label:32}{f'{k}/{n}':>18}{_ratio(k, n)['rate']:>8.3f}")
    lines.append(f"{'resolution false merges':32}{report.false_merges:>18}")
    lines.append(f"{'resolution split entities':32}{report.splits:>18}")
    if misses:
        for doc, m in report.misses.items():
            lines += ["", f"== {doc}"]
            for key, items in m.items():
                for it in items:
                    lines.append(f"  {key:20}{_describe(key, it)}")
    return "\n".join(lines)


def _describe(key: str, item: dict) -> str:
    if key.startswith("entities"):
        other = item.get("built_as") and f" (built as {item['built_as']})" or \
            item.get("gold_as") and f" (gold: {item['gold_as']})" or ""
        return f"{item['type']} {item['name']}{other}"
    if key == "false_merges":
        return f"{item['name']} joins " + " + ".join(item["gold"])
    if key == "splits":
        return f"{item['name']} is split over " + " | ".join(item["built"])
    if key.startswith("relations"):
        return f"{item['subject']} {item['predicate']} {item['object']}"
    text = f"{item['value']} {item['unit']} {item['metric']}"
    if key == "figures_disagree":
        if item.get("subject") or item.get("built_subject"):
            text += f" | subject {item.get('subject')} (built {item.get('built_subject')})"
        if item.get("period") or item.get("built_period"):
            text += f" | period {item.get('period')} (built {item.get('built_period')})"
    return text
