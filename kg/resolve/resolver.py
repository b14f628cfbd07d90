"""Entity resolution: the mentions of all documents → entities with stable IRIs.

``resolve(results)`` is the reduce step of a build. It takes the per-document
extraction results (:class:`~kg.models.DocResult`) and returns a
:class:`~kg.models.KnowledgeGraph` whose entities, relations and figures point
at deterministic IRIs.

How mentions become entities
----------------------------
Every mention's *form* is its surface text with spaces and enclosing
quotation marks / book-title marks removed; two forms are the same when their
NFKC-normalised, case-folded texts are equal. Types are grouped into *classes*:
the four organization types (Company, GovernmentBody, ResearchInstitution,
Organization) form one class, every other type is a class of its own. Forms of
different classes never merge (a Place and a Company never become one entity).

The work is a union-find over *nodes*, one node per (document, class, form).

1. Within one document:
   - an :class:`~kg.models.AliasDeclaration` merges its alias into its full name
     (only when both are of the same class);
   - a mention whose ``canonical`` is set merges into that name;
   - then the *linking rules* below run with the document's own names as the
     only candidates ("a short form next to its full name").
2. Across documents (document clusters as units, each named by its canonical
   form): clusters with the same canonical form merge, then the linking rules
   run again with the whole corpus as the candidate set ("a short form used
   alone in a document").

Linking rules (organizations and places only; persons and all other types merge
only by exact form, declarations and ``canonical``):

- *family merge* – organization names with the same legal-suffix-stripped base
  and the same legal *family* merge (X有限公司 / X有限责任公司; X集团 /
  X集团有限公司); places with the same base and the same administrative suffix
  merge (only the autonomous-region spellings differ in practice).
  Families: G (集团 in the suffix, or a trailing 集团), S (股份), P (有限…), and
  none (bare name, or only the generic 公司). Different families never merge:
  X集团 (the group) and X股份有限公司 (its listed arm) stay apart.
- *short forms* – a name without a legal suffix (bare X, X公司, X集团, X股份) or
  a place without an administrative suffix (江北 for 江北省) *seeks* a fuller
  entity of strictly higher rank (bare < X集团 / X股份 < legal name; bare place
  < suffixed place):
    a. key: an entity holding a form whose base equals the seeker's base with a
       compatible family (bare fits any family; X集团 only G, X股份 only S);
       for places a suffixed form whose stripped form equals the seeker; and,
       for organizations, an entity elsewhere in which the seeker's text was
       *declared* an alias (简称 / ``canonical``);
    b. abbreviation (Company seekers whose base has 2–8 characters): a legal
       full name (of a Company entity, not a branch) whose base, with or without
       a leading place name, starts with the seeker's first character and
       contains its characters in order (华精 → 华东精工机械有限公司; 华精集团
       likewise, but only G names); a base of 5–8 characters must begin the
       full name's (天域智能公司 → 宁波天域智能装备股份有限公司).
  X集团 / X股份 seekers are decided first; a bare seeker whose candidate is
  such a form follows it to where it goes (东重 → 东重集团 → 东海重型装备集团…).
  If (a) yields exactly one entity, merge – unless that entity is itself only
  an unresolved X集团 / X股份 and (b) points elsewhere (ambiguous); if (a)
  yields nothing, (b) must yield exactly one entity. More than one → no merge
  (counted in ``stats["ambiguous_short_forms"]``). All decisions of a pass are
  taken on a snapshot and applied together; since every merge goes to a
  strictly higher rank, two full names are never chained together.
- Names ending in a branch word (分公司, 分行, 支行, 分厂, 分院, 研究院, …) are
  never stripped and never an abbreviation target: a bank and its branch stay
  apart.

Naming and identity
-------------------
Canonical name: the fullest form – a form with a legal suffix (P/S/G) or an
administrative suffix first, then the longest, then the lexicographically
smallest. ``aliases`` are all other forms; ``merge_reasons`` gives, for each
alias, the first rule that merged it. Entity type: the majority type of its
mentions, ties broken by the declaration order of :class:`EntityType`.

IRI = ``entity_iri(type, key)`` with an identity key that survives the arrival
of a fuller form of the same name:

- organizations: the name without its legal suffix but keeping the family word
  (东海重型装备集团有限责任公司 → 东海重型装备集团, X股份有限公司 → X股份,
  X有限公司 / X公司 / X → X); branch names: the name;
- places: the name without its administrative suffix (江北省 / 江北 → 江北);
- everything else: the (normalised) name.

So an entity first seen as 华东精工 keeps its IRI when a later document adds
华东精工有限公司, and 江北 keeps its IRI when 江北省 appears. It changes when
the canonical name gets a different base (a group first known only by its
abbreviation, later by its full name) or when the majority type changes. If
two entities of one type would get the same key (南陵省 and 南陵市), the one
whose name equals the key keeps it and the others use their full name.

Complexity: per document O(m log m); across documents every index is a dict
(base → entities, declared alias → entities, (first character, other
character) → full names for abbreviations), so no pass compares all pairs.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, Sequence

from kg.gcpause import gc_paused
from kg.iri import document_iri, entity_iri, figure_iri, relation_iri
from kg.models import (
    ORG_TYPES,
    DocResult,
    Entity,
    EntityType,
    KnowledgeGraph,
    PREDICATE_NAME,
    TYPE_NAME,
    Mention,
    Predicate,
    ResolvedFigure,
    ResolvedRelation,
)

__all__ = ["resolve", "analyze_form", "normalize_form", "legal_suffixes", "FormInfo"]

ORG = "ORG"
PLACE = EntityType.Place.value

# Administrative suffixes, longest first. Stripping one leaves the place's base
# name (江北省 → 江北) when that base has at least two characters.
ADMIN_SUFFIXES: tuple[str, ...] = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "新区",
    "地区",
    "街道",
    "省",
    "市",
    "县",
    "区",
    "镇",
    "乡",
    "盟",
    "旗",
)
# Place names ending like this are zones, not administrative divisions: keep whole.
PLACE_NO_STRIP: tuple[str, ...] = (
    "开发区",
    "高新区",
    "工业区",
    "园区",
    "保税区",
    "示范区",
    "功能区",
    "自贸区",
    "试验区",
    "实验区",
    "先行区",
    "经济区",
    "合作区",
    "集聚区",
    "产业区",
    "城区",
    "市区",
    "景区",
    "社区",
    "片区",
    "辖区",
)
# A name ending like this is a branch / plant / department / institute of another
# body: it merely contains the other name and must not merge with it.
BRANCH_SUFFIXES: tuple[str, ...] = (
    "分公司",
    "子公司",
    "分行",
    "支行",
    "分理处",
    "营业部",
    "分厂",
    "分院",
    "研究院",
    "研究所",
    "分所",
    "分中心",
    "分部",
    "事业部",
    "办事处",
    "分店",
    "分校",
)
GROUP_WORD = "集团"
STOCK_WORD = "股份"
# Forms that only refer back ("以下简称公司"): never resolved across documents.
GENERIC_REFERENTS = frozenset(
    {"集团", "股份", "本公司", "该公司", "本集团", "该集团", "本行", "该行", "企业", "银行"}
)
_STRIP_MARKS = " \t\r\n\u3000\"'“”‘’「」『』《》〈〉【】"
_TYPE_ORDER = {t: i for i, t in enumerate(EntityType)}


# ---------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------


@lru_cache(maxsize=None)
def legal_suffixes() -> tuple[str, ...]:
    """The legal-form suffixes of ``kg/resources/legal_suffixes.txt``, longest first."""
    text = resources.files("kg").joinpath("resources/legal_suffixes.txt").read_text("utf-8")
    items = {line.strip() for line in text.splitlines()}
    items = {normalize_form(s) for s in items if s and not s.startswith("#")}
    return tuple(sorted(items, key=lambda s: (-len(s), s)))


_QUOTES = str.maketrans("", "", "“”‘’「」『』\"")


def surface_form(text: str) -> str:
    """The display form of a mention: no spaces, no quotation marks (a name that quotes its
    slogan, 科技“领航者”工程, is written 科技领航者工程), no enclosing title marks."""
    s = "".join(text.split()).translate(_QUOTES)
    return s.strip(_STRIP_MARKS)


def normalize_form(text: str) -> str:
    """The matching form: surface form, NFKC, case-folded."""
    return _normalize_surface(surface_form(text))


def _normalize_surface(surf: str) -> str:
    return unicodedata.normalize("NFKC", surf).casefold()


def type_class(t: EntityType) -> str:
    return ORG if t in ORG_TYPES else TYPE_NAME[t]


@dataclass(frozen=True)
class FormInfo:
    """What the linking rules need to know about one (normalised) form."""

    base: str  # the name without legal / administrative suffix (and 集团/股份 word)
    family: str | None  # org: "G" / "S" / "P" / None; place: the suffix / None
    legal: bool  # org: ends in a P/S/G legal suffix (a full registered name)
    suffix: str  # the stripped suffix ("" when none)
    name_rank: int  # 1 when it carries a legal or administrative suffix (naming)
    link_rank: int  # org: 2 legal, 1 X集团/X股份, 0 other; place: 1 suffixed, 0 bare
    iri_key: str  # identity key for entity_iri
    branch: bool = False


@lru_cache(maxsize=4096)
def analyze_form(cls: str, norm: str) -> FormInfo:
    """Analyse a normalised form of class ``cls`` ("ORG", "Place", …)."""
    return _analyze(cls, norm)


def _analyze(cls: str, norm: str) -> FormInfo:
    if cls == ORG:
        return _analyze_org(norm)
    if cls == PLACE:
        return _analyze_place(norm)
    return FormInfo(norm, None, False, "", 0, 0, norm)


@lru_cache(maxsize=None)
def _suffix_table(suffixes: tuple[str, ...]) -> tuple[tuple[int, ...], frozenset[str]]:
    return tuple(sorted({len(x) for x in suffixes})), frozenset(suffixes)


def _ends_with_any(s: str, suffixes: tuple[str, ...]) -> bool:
    lengths, table = _suffix_table(suffixes)
    return any(s[-n:] in table for n in lengths if n <= len(s))


def _analyze_org(norm: str) -> FormInfo:
    if _ends_with_any(norm, BRANCH_SUFFIXES):
        return FormInfo(norm, None, False, "", 0, 0, norm, branch=True)
    rest, suffix = norm, ""
    for suf in legal_suffixes():
        if norm.endswith(suf) and len(norm) - len(suf) >= 2:
            rest, suffix = norm[: -len(suf)], suf
            break
    word = ""
    for w in (GROUP_WORD, STOCK_WORD):
        if rest.endswith(w) and len(rest) - len(w) >= 2:
            word = w
            break
    base = rest[: -len(word)] if word else rest
    if GROUP_WORD in suffix or word == GROUP_WORD:
        family: str | None = "G"
    elif STOCK_WORD in suffix or word == STOCK_WORD:
        family = "S"
    elif "有限" in suffix:
        family = "P"
    else:
        family = None
    legal = bool(suffix) and any(w in suffix for w in ("有限", GROUP_WORD, STOCK_WORD))
    link_rank = 2 if legal else (1 if family else 0)
    iri_key = base + {"G": GROUP_WORD, "S": STOCK_WORD}.get(family or "", "")
    branch = _ends_with_any(base, BRANCH_SUFFIXES)
    return FormInfo(base, family, legal, suffix, int(legal), link_rank, iri_key, branch)


def _analyze_place(norm: str) -> FormInfo:
    if not _ends_with_any(norm, PLACE_NO_STRIP):
        for suf in ADMIN_SUFFIXES:
            if norm.endswith(suf) and len(norm) - len(suf) >= 2:
                base = norm[: -len(suf)]
                family = "自治区" if suf.endswith("自治区") else suf
                return FormInfo(base, family, False, suf, 1, 1, base)
    return FormInfo(norm, None, False, "", 0, 0, norm)


def _name_order(info: FormInfo, norm: str) -> tuple[int, int, str]:
    """Sort key: the fullest form first."""
    return (-info.name_rank, -len(norm), norm)


@lru_cache(maxsize=65536)
def _abbreviation_bases(base: str) -> tuple[str, ...]:
    """The base of a full name, and the same without a leading place name
    (沈江华精机械 → also 华精机械): a short name may drop the place."""
    from kg.extract.entities import place_prefix_len

    k = place_prefix_len(base)
    return (base, base[k:]) if k and len(base) - k >= 2 else (base,)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


# ---------------------------------------------------------------------------
# Union-find over nodes
# ---------------------------------------------------------------------------


@dataclass
class _Node:
    doc: str
    cls: str
    norm: str
    surfaces: dict[str, int]  # surface form -> mentions (a dict: faster to make than a Counter)
    mentions: list
    declared: bool = False  # this form was declared an alias (简称 / canonical) here


class _FormCaches:
    """What the resolver works out about a form, a pure function of it (so any number
    of resolvers may share one): the surface and matching forms of a text, the
    analysis and the naming order of a (class, form)."""

    def __init__(self) -> None:
        self.info: dict[tuple[str, str], FormInfo] = {}
        self.order: dict[tuple[str, str], tuple[int, int, str]] = {}
        self.forms: dict[str, tuple[str, str]] = {}

    def __len__(self) -> int:
        return len(self.forms) + len(self.info)


class _Resolver:
    def __init__(self, caches: _FormCaches | None = None) -> None:
        self.nodes: list[_Node] = []
        self.parent: list[int] = []
        self.by_doc_form: dict[tuple[str, str, str], int] = {}
        self.by_mention: dict[tuple[str, int, int, str], int] = {}
        self.log: list[tuple[int, str, str]] = []  # (node, form, reason)
        self.stats: Counter = Counter()
        if caches is None:
            caches = _FormCaches()
        self._info = caches.info
        self._order = caches.order
        self._forms = caches.forms

    # -- a text's surface and matching forms, cached for the run (the same names
    # recur in every document; each mention needs both forms)
    def forms(self, text: str) -> tuple[str, str]:
        """(surface_form(text), normalize_form(text))."""
        got = self._forms.get(text)
        if got is None:
            surf = surface_form(text)
            got = self._forms[text] = (surf, _normalize_surface(surf))
        return got

    # -- form analysis, cached for the run (unbounded: one entry per distinct form)
    def info(self, cls: str, norm: str) -> FormInfo:
        k = (cls, norm)
        got = self._info.get(k)
        if got is None:
            got = self._info[k] = _analyze(cls, norm)
        return got

    def order(self, cls: str, norm: str) -> tuple[int, int, str]:
        k = (cls, norm)
        got = self._order.get(k)
        if got is None:
            got = self._order[k] = _name_order(self.info(cls, norm), norm)
        return got

    # -- union-find ---------------------------------------------------------
    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra  # smallest id wins: deterministic representative
        return True

    # -- nodes --------------------------------------------------------------
    def node(self, doc: str, cls: str, text: str) -> int | None:
        surf, norm = self.forms(text)
        if not norm:
            return None
        k = (doc, cls, norm)
        nid = self.by_doc_form.get(k)
        if nid is None:
            nid = len(self.nodes)
            self.nodes.append(_Node(doc, cls, norm, {}, []))
            self.parent.append(nid)
            self.by_doc_form[k] = nid
        if surf:
            self.nodes[nid].surfaces.setdefault(surf, 0)  # known surface, even if no mention
        return nid

    def add_mention(self, m: Mention) -> int | None:
        key = m.key
        if key in self.by_mention:
            return self.by_mention[key]
        nid = self.node(m.doc, type_class(m.type), m.text)
        if nid is None:
            self.stats["mentions_empty"] += 1
            return None
        n = self.nodes[nid]
        n.mentions.append(m)
        surf = self.forms(m.text)[0]
        n.surfaces[surf] = n.surfaces.get(surf, 0) + 1
        self.by_mention[key] = nid
        return nid

    def note(self, nid: int, form: str, reason: str, kind: str) -> None:
        self.log.append((nid, form, reason))
        self.stats[f"merges_{kind}"] += 1

    def surface(self, norm: str, nids: Iterable[int]) -> str:
        c: Counter = Counter()
        for i in nids:
            n = self.nodes[i]
            if n.norm == norm:
                c.update(n.surfaces)
        if not c:
            return norm
        return min(c, key=lambda s: (-c[s], s))

    # -- groups -------------------------------------------------------------
    def groups(self, nids: Iterable[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in nids:
            out[self.find(i)].append(i)
        return out

    def canonical(self, members: list[int]) -> str:
        cls = self.nodes[members[0]].cls
        if len(members) == 1:
            return self.nodes[members[0]].norm
        return min({self.nodes[i].norm for i in members}, key=lambda f: self.order(cls, f))

    # -- one document ---------------------------------------------------------------
    def add_document(self, res: DocResult) -> None:
        """The nodes of ``res``'s mentions, merged within the document: declared
        aliases (简称), canonical names the extractor gave, the linking rules."""
        doc = res.doc.id
        start = len(self.nodes)
        mentions = sorted(res.mentions, key=_mention_sort_key)
        aliases = sorted(res.aliases, key=lambda d: (_mention_sort_key(d.full), _mention_sort_key(d.alias), d.how))
        for m in mentions:
            self.add_mention(m)
        for decl in aliases:
            self.add_mention(decl.full)
            self.add_mention(decl.alias)
        for decl in aliases:
            if type_class(decl.full.type) != type_class(decl.alias.type):
                self.stats["declarations_ignored_type_conflict"] += 1
                continue
            a = self.by_mention.get(decl.full.key)
            b = self.by_mention.get(decl.alias.key)
            if a is None or b is None:
                continue
            self.nodes[b].declared = True
            if a != b and self.union(a, b):
                self.note(b, self.nodes[b].norm, f"declared {decl.how} in {decl.doc or doc}", "declared")
        for m in mentions:
            if not m.canonical:
                continue
            nid = self.by_mention.get(m.key)
            cid = self.node(m.doc, type_class(m.type), m.canonical)
            if nid is None or cid is None or nid == cid:
                continue
            self.nodes[nid].declared = True
            if self.union(cid, nid):
                self.note(nid, self.nodes[nid].norm,
                          f"canonical name {surface_form(m.canonical)} given in {m.doc}", "canonical")
        self.link(list(range(start, len(self.nodes))), corpus=False)

    def splice(self, part: DocPart) -> None:
        """Take in ``part`` as :meth:`add_document` would have made it here: its nodes
        numbered after the present ones (their order, and so every union's winner, kept).
        The part's nodes become this resolver's."""
        off = len(self.nodes)
        by_doc_form, by_mention = self.by_doc_form, self.by_mention
        for nid, n in enumerate(part.nodes, off):
            self.nodes.append(n)
            by_doc_form[(n.doc, n.cls, n.norm)] = nid
            for m in n.mentions:
                by_mention[m.key] = nid
        self.parent.extend(p + off for p in part.parent)
        self.log.extend((nid + off, form, reason) for nid, form, reason in part.log)
        self.stats.update(part.stats)

    # -- the linking rules --------------------------------------------------
    def link(self, nids: list[int], *, corpus: bool) -> None:
        groups = self.groups(nids)
        # 1. same canonical form and class → one entity
        by_canon: dict[tuple[str, str], list[int]] = defaultdict(list)
        for root, members in groups.items():
            by_canon[(self.nodes[root].cls, self.canonical(members))].append(root)
        for roots in by_canon.values():
            for r in roots[1:]:
                self.union(roots[0], r)
        groups = self.groups(nids)

        # 2. family merge: same base + same legal family / administrative suffix
        by_family: dict[tuple[str, str, str], list[tuple[int, str]]] = defaultdict(list)
        for root, members in groups.items():
            cls = self.nodes[root].cls
            if cls not in (ORG, PLACE):
                continue
            canon = self.canonical(members)
            info = self.info(cls, canon)
            if info.family is not None and not info.branch:
                by_family[(cls, info.base, info.family)].append((root, canon))
        for (cls, _base, _fam), items in sorted(by_family.items()):
            if len(items) < 2:
                continue
            items.sort(key=lambda rc: self.order(cls, rc[1]))
            best_root, best = items[0]
            best_surface = self.surface(best, groups[best_root])
            for root, canon in items[1:]:
                if self.union(best_root, root):
                    info = self.info(cls, canon)
                    if cls == PLACE:
                        reason = f"administrative-suffix variant of {best_surface}"
                    elif info.legal:
                        reason = f"legal-suffix variant of {best_surface}"
                    else:
                        reason = f"short form of {best_surface}"
                    self.note(self._node_with(groups[root], canon), canon, reason, "family")
        groups = self.groups(nids)

        # 3. short forms seek a unique fuller entity (decided on a snapshot)
        self._seek(groups, corpus=corpus)

    def _node_with(self, members: list[int], norm: str) -> int:
        return min(i for i in members if self.nodes[i].norm == norm)

    def _root_type(self, members: list[int]) -> EntityType | None:
        return _majority_type(m for i in members for m in self.nodes[i].mentions)

    def _seek(self, groups: dict[int, list[int]], *, corpus: bool) -> None:
        key_index: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
        alias_index: dict[str, set[int]] = defaultdict(set)
        abbr_index: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
        rank: dict[int, int] = {}
        canon_of: dict[int, str] = {}
        seekers: list[int] = []

        for root, members in groups.items():
            cls = self.nodes[root].cls
            if cls not in (ORG, PLACE):
                continue
            canon = self.canonical(members)
            canon_of[root] = canon
            cinfo = self.info(cls, canon)
            rank[root] = cinfo.link_rank
            rtype = self._root_type(members) if cls == ORG else None
            forms = {self.nodes[i].norm for i in members}
            for f in forms:
                info = self.info(cls, f)
                if info.family is not None and not info.branch:
                    key_index[(cls, info.base)].append((root, info.family, f))
                if (
                    cls == ORG
                    and info.legal
                    and not info.branch
                    and rtype is EntityType.Company
                    and len(info.base) >= 2
                ):
                    for b in _abbreviation_bases(info.base):
                        for ch in set(b[1:]):
                            abbr_index[(b[0], ch)].add((root, f))
            if cls == ORG:
                for i in members:
                    n = self.nodes[i]
                    if n.declared and n.norm != canon:
                        alias_index[n.norm].add(root)
            if cls == ORG:
                if (
                    not cinfo.legal
                    and len(cinfo.base) >= 2
                    and canon not in GENERIC_REFERENTS
                    and canon not in legal_suffixes()
                ):
                    seekers.append(root)
            elif cinfo.family is None and len(canon) >= 2:
                seekers.append(root)

        def tier_key(s: int) -> dict[int, tuple[str, str, str]]:
            """Entities holding the seeker's base with a compatible family, or
            (organizations) where the seeker's text was declared an alias."""
            cls, canon = self.nodes[s].cls, canon_of[s]
            info = self.info(cls, canon)
            cands: dict[int, tuple[str, str, str]] = {}
            for r, fam, form in sorted(key_index.get((cls, info.base), ()), key=lambda x: (x[2], x[0])):
                if r == s or rank[r] <= rank[s] or r in cands:
                    continue
                if info.family is not None and info.family != fam:
                    continue
                if cls == PLACE:
                    cands[r] = (form, f"administrative suffix {self.info(cls, form).suffix}", "admin")
                else:
                    cands[r] = (form, "short form of {}", "legal_suffix")
            if cls == ORG:
                for r in sorted(alias_index.get(canon, ())):
                    if r != s and rank[r] > rank[s] and r not in cands:
                        where = sorted({self.nodes[i].doc for i in groups[r] if self.nodes[i].norm == canon})
                        cands[r] = (canon_of[r], "declared alias of {} in " + ", ".join(where), "known_alias")
            return cands

        def tier_abbreviation(s: int) -> dict[int, tuple[str, str, str]]:
            """Legal full names the seeker abbreviates (Company seekers, base of 2–4)."""
            cls, canon = self.nodes[s].cls, canon_of[s]
            info = self.info(cls, canon)
            cands: dict[int, tuple[str, str, str]] = {}
            if cls != ORG or info.branch or not 2 <= len(info.base) <= 8:
                return cands
            if self._root_type(groups[s]) is not EntityType.Company:
                return cands
            core = info.base
            for r, form in sorted(abbr_index.get((core[0], core[1]), ())):
                if r == s or rank[r] <= rank[s] or r in cands:
                    continue
                finfo = self.info(cls, form)
                # 2–4 characters: an abbreviation in order (华精 ← 华东精工); longer: the start of
                # the name (天域智能公司 ← 宁波天域智能装备股份有限公司)
                if not any(len(b) > len(core) and b[0] == core[0]
                           and (_is_subsequence(core, b) if len(core) <= 4 else b.startswith(core))
                           for b in _abbreviation_bases(finfo.base)):
                    continue
                if info.family is not None and info.family != finfo.family:
                    continue
                cands[r] = (form, "abbreviation of {}", "abbreviation")
            return cands

        # Seekers of rank 1 (X集团 / X股份) are decided first; a bare seeker whose
        # candidate is such a form follows it to where it goes (dest).
        dest: dict[int, int] = {}
        decisions: list[tuple[int, int, str, str, str]] = []
        for level in (1, 0):
            for s in sorted(x for x in seekers if rank[x] == level):
                cls = self.nodes[s].cls
                key_c = tier_key(s)
                key_d = {dest.get(r, r) for r in key_c}
                chosen: tuple[int, tuple[str, str, str]] | None = None
                ambiguous = False
                if len(key_d) == 1:
                    (d,) = key_d
                    if cls == ORG and rank[d] < 2:
                        # the key target is itself only a short form: an abbreviation
                        # pointing elsewhere makes the seeker ambiguous
                        abbr_d = {dest.get(r, r) for r in tier_abbreviation(s)}
                        ambiguous = not abbr_d <= key_d
                    if not ambiguous:
                        r = d if d in key_c else min(key_c)
                        chosen = (r, key_c[r])
                elif len(key_d) > 1:
                    ambiguous = True
                else:
                    abbr_c = tier_abbreviation(s)
                    abbr_d = {dest.get(r, r) for r in abbr_c}
                    if len(abbr_d) == 1:
                        (d,) = abbr_d
                        r = d if d in abbr_c else min(abbr_c)
                        chosen = (r, abbr_c[r])
                    elif len(abbr_d) > 1:
                        ambiguous = True
                if chosen is not None:
                    r, (form, template, kind) = chosen
                    reason = template.replace("{}", self.surface(form, groups[r]), 1)
                    decisions.append((s, r, canon_of[s], kind, reason))
                    dest[s] = dest.get(r, r)
                elif ambiguous and corpus:
                    self.stats["ambiguous_short_forms"] += 1

        for s, r, canon, kind, reason in decisions:
            if self.union(r, s):
                self.note(self._node_with(groups[s], canon), canon, reason, kind)


# ---------------------------------------------------------------------------
# the per-document half, where a document is extracted
# ---------------------------------------------------------------------------


@dataclass
class DocPart:
    """The within-document half of resolution for one document (see
    :meth:`_Resolver.add_document`), numbered from 0: what :func:`resolve` splices in
    instead of doing it itself."""

    doc: str
    nodes: list[_Node]
    parent: list[int]
    log: list[tuple[int, str, str]]
    stats: dict[str, int]


#: the form caches of document_part in this process, dropped when they hold more than
#: PART_CACHE_LIMIT entries (a long-running worker meets ever new names)
_part_caches = _FormCaches()
PART_CACHE_LIMIT = 500_000


def document_part(res: DocResult) -> DocPart | None:
    """The within-document half of resolution for ``res``, to be spliced by
    :func:`resolve`; None if a mention of ``res`` names another document (it would
    share nodes with that one: resolve() then does it itself)."""
    global _part_caches
    doc = res.doc.id
    if any(m.doc != doc for m in res.mentions) or any(
            d.full.doc != doc or d.alias.doc != doc for d in res.aliases):
        return None
    if len(_part_caches) > PART_CACHE_LIMIT:
        _part_caches = _FormCaches()
    R = _Resolver(_part_caches)
    R.add_document(res)
    return DocPart(doc, R.nodes, R.parent, R.log, dict(R.stats))


# ---------------------------------------------------------------------------
# resolve()
# ---------------------------------------------------------------------------


@gc_paused()
def resolve(results: Sequence[DocResult],
            parts: Mapping[str, DocPart] | None = None) -> KnowledgeGraph:
    """Resolve the mentions of all documents into entities; re-point facts at IRIs.

    The output depends only on the set of documents, not on their order. ``parts``:
    document id → :func:`document_part` of that document's result, made beforehand
    (in the processes that extracted the documents); the others are made here. The
    output is the same either way.
    """
    docs_sorted = sorted(results, key=lambda r: r.doc.id)
    seen: set[str] = set()
    for r in docs_sorted:
        if r.doc.id in seen:
            raise ValueError(f"duplicate document id in resolve(): {r.doc.id}")
        seen.add(r.doc.id)

    R = _Resolver()

    # nodes and within-document merges
    for res in docs_sorted:
        part = parts.get(res.doc.id) if parts else None
        if part is None:
            R.add_document(res)
        else:
            R.splice(part)

    all_nodes = list(range(len(R.nodes)))
    R.link(all_nodes, corpus=True)

    # entities
    groups = R.groups(all_nodes)
    drafts = []
    for root, members in groups.items():
        # no duplicates to drop: add_mention puts each mention (key) in one node only
        mentions = sorted((m for i in members for m in R.nodes[i].mentions), key=_mention_sort_key)
        if not mentions:
            continue
        cls = R.nodes[root].cls
        canon = R.canonical(members)
        etype = _majority_type(mentions)
        forms = sorted({R.nodes[i].norm for i in members})
        name = R.surface(canon, members)
        alias_surfaces = {}
        for f in forms:
            if f != canon:
                alias_surfaces[f] = R.surface(f, members)
        drafts.append((root, members, cls, canon, etype, name, alias_surfaces, tuple(mentions)))

    # reasons: the first logged reason per (final entity, form)
    reasons: dict[tuple[int, str], str] = {}
    for nid, form, reason in R.log:
        reasons.setdefault((R.find(nid), form), reason)

    # identity keys, with collision fallback
    proposed: dict[int, str] = {}
    for root, _members, cls, canon, etype, *_ in drafts:
        proposed[root] = R.info(cls, canon).iri_key
    final_key = _dedupe_keys(drafts, proposed)

    entities: list[Entity] = []
    iri_of_root: dict[int, str] = {}
    for root, members, cls, canon, etype, name, alias_surfaces, mentions in drafts:
        iri = entity_iri(etype.value, final_key[root])
        iri_of_root[root] = iri
        alias_names = sorted({s for s in alias_surfaces.values() if s != name})
        merge_reasons = []
        for f, surf in sorted(alias_surfaces.items(), key=lambda kv: kv[1]):
            if surf == name:
                continue
            merge_reasons.append((surf, reasons.get((root, f), f"merged with {name}")))
        merge_reasons = sorted(set(merge_reasons))
        entities.append(
            Entity(
                iri=iri,
                name=name,
                type=etype,
                aliases=tuple(alias_names),
                mentions=mentions,
                merge_reasons=tuple(merge_reasons),
            )
        )
    entities.sort(key=lambda e: (e.type.value, e.name, e.iri))
    if len({e.iri for e in entities}) != len(entities):  # pragma: no cover - safety net
        raise AssertionError("entity IRI collision")

    def iri_for(m: Mention | None) -> str | None:
        if m is None:
            return None
        nid = R.by_mention.get(m.key)
        if nid is None:
            norm = R.forms(m.text)[1]
            nid = R.by_doc_form.get((m.doc, type_class(m.type), norm))
            if nid is None or not groups.get(R.find(nid)):
                return None
        return iri_of_root.get(R.find(nid))

    # relations
    relations: dict[str, ResolvedRelation] = {}
    stats = R.stats
    for res in docs_sorted:
        for rel in res.relations:
            subj = iri_for(rel.subject)
            if rel.predicate is Predicate.authorOf:
                obj = document_iri(rel.doc)
            else:
                obj = iri_for(rel.object)
            if subj is None or obj is None:
                stats["relations_dropped_unresolved"] += 1
                continue
            if subj == obj:
                stats["relations_dropped_self"] += 1
                continue
            iri = relation_iri(subj, PREDICATE_NAME[rel.predicate], obj, rel.doc, rel.start, rel.end)
            rr = ResolvedRelation(
                iri=iri,
                subject=subj,
                predicate=rel.predicate,
                object=obj,
                doc=rel.doc,
                evidence=rel.evidence,
                start=rel.start,
                end=rel.end,
                title=rel.title,
            )
            if iri in relations:
                stats["relations_duplicate"] += 1
                relations[iri] = min(relations[iri], rr, key=_relation_tiebreak)
            else:
                relations[iri] = rr
    rel_list = sorted(
        relations.values(),
        key=lambda r: (r.doc, r.start, r.end, PREDICATE_NAME[r.predicate], r.subject, r.object, r.iri),
    )

    # figures
    figures: dict[str, ResolvedFigure] = {}
    for res in docs_sorted:
        for fig in res.figures:
            subj = None
            if fig.subject is not None:
                subj = iri_for(fig.subject)
                if subj is None:
                    stats["figures_dropped_unresolved"] += 1
                    continue
            iri = figure_iri(fig.doc, fig.start, fig.end, fig.metric)
            rf = ResolvedFigure(
                iri=iri,
                subject=subj,
                doc=fig.doc,
                value=fig.value,
                unit=fig.unit,
                evidence=fig.evidence,
                start=fig.start,
                end=fig.end,
                metric=fig.metric,
                period=fig.period,
                period_normalized=fig.period_normalized,
                value_normalized=fig.value_normalized,
                unit_normalized=fig.unit_normalized,
                qualifier=fig.qualifier,
                is_growth=fig.is_growth,
            )
            if iri in figures:
                stats["figures_duplicate"] += 1
                figures[iri] = min(figures[iri], rf, key=repr)
            else:
                figures[iri] = rf
    fig_list = sorted(figures.values(), key=lambda f: (f.doc, f.start, f.end, f.iri))

    out_stats = {
        "documents": len(docs_sorted),
        "mentions": sum(len(e.mentions) for e in entities),
        "entities": len(entities),
        "relations": len(rel_list),
        "figures": len(fig_list),
        "figures_without_subject": sum(1 for f in fig_list if f.subject is None),
        "relations_dropped_unresolved": 0,
        "figures_dropped_unresolved": 0,
        "ambiguous_short_forms": 0,
    }
    out_stats.update({k: v for k, v in sorted(stats.items()) if v or k in out_stats})
    return KnowledgeGraph(
        documents=tuple(r.doc for r in docs_sorted),
        entities=tuple(entities),
        relations=tuple(rel_list),
        figures=tuple(fig_list),
        stats=out_stats,
    )


def _majority_type(mentions: Iterable[Mention]) -> EntityType | None:
    """The most frequent type of ``mentions`` (ties: declaration order of EntityType);
    None if there are none."""
    votes: dict[EntityType, int] = {}
    for m in mentions:
        votes[m.type] = votes.get(m.type, 0) + 1
    if not votes:
        return None
    return min(votes, key=lambda t: (-votes[t], _TYPE_ORDER[t]))


def _mention_sort_key(m: Mention) -> tuple:
    return (m.doc, m.start, m.end, TYPE_NAME[m.type], m.text, m.canonical or "")


def _relation_tiebreak(r: ResolvedRelation) -> tuple:
    return (r.evidence, r.title or "")


def _dedupe_keys(drafts: list, proposed: dict[int, str]) -> dict[int, str]:
    """Entities of one type sharing a key: the one named exactly the key keeps it,
    the others fall back to their canonical form (unique per type)."""
    final = dict(proposed)
    info = {d[0]: (d[4], d[3]) for d in drafts}  # root -> (type, canonical norm)
    for _ in range(3):
        by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
        for root, key in final.items():
            by_key[(info[root][0].value, key)].append(root)
        clashes = [roots for roots in by_key.values() if len(roots) > 1]
        if not clashes:
            return final
        for roots in clashes:
            key = final[roots[0]]
            for root in roots:
                if info[root][1] != key:
                    final[root] = info[root][1]
    # still clashing (same canonical form twice): add the first mention's position
    by_key = defaultdict(list)
    for root, key in final.items():
        by_key[(info[root][0].value, key)].append(root)
    first_mention = {d[0]: d[7][0] for d in drafts}
    for roots in by_key.values():
        if len(roots) > 1:
            for root in roots:
                first = first_mention[root]
                final[root] = f"{final[root]}\x1f{first.doc}\x1f{first.start}"
    return final
