"""Score the build on the corpus with its names changed (a check that the rules do not overfit).

Usage (from the repository root, with the package installed in .venv):

    .venv/bin/python scripts/renamed_eval.py [--corpus corpus/] [--gold ../shared/gold]
        [--seed N ...] [--out DIR] [--format table|json]

Issue 3 asks that the score on the corpus with its names changed stay within 0.10 of
the score on the corpus itself. This script measures that gap:

1. It reads the gold files (at run time, for scoring only) and plans a renaming:
   - persons: the given name is replaced by other common given-name characters, and for
     about one person in three the surname by another surname of ``kg/resources/surnames.txt``;
   - organizations (Company, ResearchInstitution, Organization): the distinctive part (the
     brand) of the name and of each short name: the characters after any leading place
     names (``admin_divisions.tsv``, ``regions.txt``), three characters when the name
     without its legal/organization ending has three, else two. A brand is kept unchanged
     when it is general vocabulary: a place or part of one, a word of the project's general
     lexicons (sectors, product heads, the domain dictionary, organization endings, national
     media, jieba's frequent common words), part of a gold Place, Product, Industry or
     Policy form, used in the texts outside the gold names of organizations and projects,
     or a national prefix such as 中国 or 国家. A short name spelt with characters picked from
     the full name (洛轴 for 洛阳轴承…) is an abbreviation, not a brand: it is kept.
   Each replacement has the same length as the original, is drawn from a fixed pool of
   plausible name characters with ``random.Random(seed)``, does not occur anywhere in the
   original texts or gold files, is not a word of jieba's dictionary, and is not used twice.
2. It writes into a temporary folder (or ``--out``, which must be outside the repository
   and the gold folder): a copy of the corpus (``*.txt`` and ``manifest.toml``) and of the
   gold files with the substitution applied, longest name first, in one pass, to the
   texts, the manifest and every string of the gold files (names, aliases, evidence,
   titles, metrics). A name broken by a line break or spaces in a text is still replaced;
   the whitespace stays where it was.
3. It runs ``kg build`` and ``kg eval`` (through ``kg.api``, in this process) on the original corpus and, for every
   ``--seed``, on the renamed copy, and prints the F1 of each entity type, the relations and
   the figures: seed (original) score, renamed score per seed, and the gap (original minus the
   mean renamed score). A gap over 0.10 is flagged.

Nothing is written to the repository. The unseen-articles score of issue 3 cannot be
measured here (there are no unseen gold-annotated articles).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAP_LIMIT = 0.10
ORG_TYPES = ("Company", "ResearchInstitution", "Organization")
GENERAL_TYPES = ("Place", "Product", "Industry", "Policy")
NATIONAL_PREFIXES = ("中国", "中华", "国家", "国际", "全国", "中央")
# Common given-name characters and plausible brand characters (general, not from the corpus).
GIVEN_POOL = ("伟芳娜敏静丽强磊洋勇艳杰娟涛明超秀霞平刚英华玉兰建文辉鹏宇浩凯俊峰琳晨欣怡婷"
              "雪慧颖斌波飞博昊泽轩然宁彤悦思嘉佳鑫睿哲航琪璐薇岚蕾帆昕晗瑶")
BRAND_POOL = "瑞泰鑫恒宏盛祥润嘉源丰隆昌豪森耀晟弘启辰翔锦彩诚卓汇腾祺晶钧煜琦铭骏澜禾朗璟珂岳峻"
COMMON_FREQ = 300
PLACE_ENDINGS = ("自治区", "自治州", "自治县", "特别行政区", "地区", "新区", "省", "市", "县", "区", "盟", "旗")
_SPACE = re.compile(r"\s+")
_PARENS = re.compile(r"[（(][^）)]*[）)]")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』《》")


class InputError(Exception):
    """Bad input or usage: one line, exit 2."""


def norm(text: str) -> str:
    return _SPACE.sub("", text).translate(_QUOTES)


# ---------------------------------------------------------------- vocabulary

@dataclass
class Vocabulary:
    """What must not be renamed, and what a replacement must not be."""

    surnames: list[str]
    places: set[str]
    general: set[str]
    endings: tuple[str, ...]
    known_words: set[str] = field(default_factory=set)

    def place_prefix(self, text: str) -> int:
        """Length of the longest place name at the start of ``text`` (0 if none)."""
        for n in range(min(len(text), 12), 1, -1):
            if text[:n] in self.places:
                return n
        return 0

    def is_general(self, word: str) -> bool:
        return (word in self.general or word.startswith(NATIONAL_PREFIXES)
                or any(word in p for p in self.places if len(p) >= len(word)))


def load_vocabulary() -> Vocabulary:
    from importlib import resources

    from kg.extract.lexicon import lexicon

    lex = lexicon()
    places: set[str] = set(lex.regions)
    for name in lex.divisions:
        places.add(name)
        for end in PLACE_ENDINGS:
            if name.endswith(end) and len(name) - len(end) >= 2:
                places.add(name[: -len(end)])
                break
    general = set(lex.sectors) | set(lex.product_heads) | set(lex.national_media)
    general |= {o.suffix for o in lex.org_suffixes}
    text = resources.files("kg.resources").joinpath("domain_dict.txt").read_text(encoding="utf-8")
    general |= {ln.split()[0] for ln in text.splitlines() if ln.strip() and not ln.startswith("#")}
    endings = tuple(sorted({o.suffix for o in lex.org_suffixes} | {"科技", "技术", "股份", "发展"},
                           key=len, reverse=True))
    surnames = sorted(lex.surnames, key=lambda s: (len(s), s))
    import jieba

    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    known = {w for w, f in jieba.dt.FREQ.items() if f}
    # jieba's frequent common words (北方 f, 通用 v, 锅炉 n) are general vocabulary;
    # proper-noun tags (nr, ns, nt, nz) are names and stay candidates
    with jieba.dt.get_dict_file() as fh:
        for line in fh.read().decode("utf-8").splitlines():
            parts = line.split()
            if len(parts) == 3 and int(parts[1]) >= COMMON_FREQ \
                    and not parts[2].startswith(("nr", "ns", "nt", "nz")):
                general.add(parts[0])
    return Vocabulary(surnames, places, general, endings, known)


# ---------------------------------------------------------------- planning

def surname_of(name: str, surnames: list[str]) -> str | None:
    if len(name) >= 3 and name[:2] in surnames:
        return name[:2]
    return name[0] if name[:1] in surnames else None


def brand_of(form: str, vocab: Vocabulary) -> str | None:
    """The distinctive characters of an organization name or short name, or None."""
    core = _PARENS.sub("", norm(form))
    if core.startswith(NATIONAL_PREFIXES):
        return None
    while (n := vocab.place_prefix(core)):
        core = core[n:]
    m = _HAN.match(core)
    if not m:
        return None
    head = m.group()
    bare = head
    changed = True
    while changed:
        changed = False
        for end in vocab.endings:
            if bare.endswith(end) and len(bare) > len(end):
                bare, changed = bare[: -len(end)], True
                break
    size = 3 if len(bare) == 3 else 2
    if len(bare) > 3 and vocab.place_prefix(bare[3:]):  # 中石油大连石化: 3 characters, then a place
        size = 3
    brand = head[:size]
    if len(brand) < 2 or vocab.is_general(brand):
        return None
    return brand


def _abbreviates(short: str, full: str) -> bool:
    """``short`` is spelt by characters of ``full`` in order, but is not a part of it."""
    if len(short) >= len(full) or short in full:
        return False
    it = iter(full)
    return all(c in it for c in short)


def plan_renaming(gold: dict[str, dict], texts: list[str], vocab: Vocabulary,
                  seed: int) -> tuple[dict[str, str], list[str]]:
    """({original: replacement}, [brands kept as general vocabulary]) for one seed.

    Deterministic: the same gold, texts and seed give the same map.
    """
    rng = random.Random(seed)
    persons: list[str] = []
    brands: list[str] = []
    kept: list[str] = []
    general_forms: list[str] = []
    org_forms: list[str] = []
    abbreviations: set[str] = set()
    for doc in sorted(gold):
        for ent in gold[doc].get("entities", []):
            forms = [norm(f) for f in [ent["name"], *ent.get("aliases", [])] if norm(f)]
            if ent["type"] in GENERAL_TYPES:
                general_forms += forms
            elif ent["type"] == "Person":
                persons += [f for f in forms if _HAN.fullmatch(f)]
            elif ent["type"] in ORG_TYPES:
                # a short form spelt with characters picked from a longer one (洛轴 from
                # 洛阳轴承…) is an abbreviation of that name, not a brand of its own
                own = {b for f in forms if f not in vocab.general
                       and (b := brand_of(f, vocab)) is not None}
                abbreviations |= {b for f in forms if (b := brand_of(f, vocab)) is not None
                                  and any(_abbreviates(b, g) for g in forms)}
                # 科利德 and 科利 from one entity: the longer brand only
                brands += [b for b in own if not any(o != b and o.startswith(b) for o in own)]
            if ent["type"] in ORG_TYPES or ent["type"] == "Project":
                org_forms += forms
    # a brand that the texts also use outside the gold names of organizations and projects
    # (产品 in 大连产品质量…研究院, 北方 in 北方重工) is general vocabulary: kept
    blank = compile_mapping({f: "\0" * len(f) for f in set(org_forms)})
    rest = "\n".join(blank.sub(lambda m: "\0", norm(t)) if blank else norm(t) for t in texts)
    taken = set()  # every string a replacement must not equal or occur in
    haystack = "\n".join(norm(t) for t in texts) + "\n" + json.dumps(gold, ensure_ascii=False)

    def fresh(make) -> str:
        for _ in range(1000):
            new = make()
            if new not in taken and new not in haystack and new not in vocab.known_words \
                    and not vocab.is_general(new):
                taken.add(new)
                return new
        raise RuntimeError("no free replacement found")

    mapping: dict[str, str] = {}
    single = [s for s in vocab.surnames if len(s) == 1]
    for name in sorted(set(persons), key=lambda s: (len(s), s)):
        sur = surname_of(name, vocab.surnames)
        if sur is None or len(name) == len(sur):
            continue
        given = len(name) - len(sur)
        change_surname = rng.random() < 1 / 3

        def make(sur=sur, given=given, change=change_surname) -> str:
            s = sur
            if change:
                s = rng.choice([x for x in single if x != sur]) if len(sur) == 1 else \
                    rng.choice([x for x in vocab.surnames if len(x) == 2 and x != sur])
            return s + "".join(rng.choice(GIVEN_POOL) for _ in range(given))

        mapping[name] = fresh(make)
    for brand in sorted(set(brands), key=lambda s: (len(s), s)):
        if brand in rest or brand in abbreviations or any(brand in f for f in general_forms):
            kept.append(brand)
            continue
        if brand in mapping:
            continue
        mapping[brand] = fresh(lambda n=len(brand): "".join(rng.choice(BRAND_POOL) for _ in range(n)))
    return mapping, sorted(set(kept))


# ---------------------------------------------------------------- applying

def compile_mapping(mapping: dict[str, str]) -> re.Pattern | None:
    """One pattern, longest key first; whitespace may stand between the characters of a key."""
    if not mapping:
        return None
    keys = sorted(mapping, key=lambda k: (-len(k), k))
    return re.compile("|".join(r"\s*".join(re.escape(c) for c in k) for k in keys))


def substitute(text: str, mapping: dict[str, str], pattern: re.Pattern | None = None) -> str:
    """``text`` with every key of ``mapping`` replaced, longest first, in one pass.

    Whitespace inside a matched name stays in place (replacements have the key's length).
    """
    pattern = pattern if pattern is not None else compile_mapping(mapping)
    if pattern is None:
        return text

    def repl(m: re.Match) -> str:
        new = iter(mapping[_SPACE.sub("", m.group())])
        return "".join(c if c.isspace() else next(new) for c in m.group())

    return pattern.sub(repl, text)


def rename_gold(data, mapping: dict[str, str], pattern: re.Pattern | None):
    """A copy of a gold structure with every string value substituted (ids and types kept)."""
    keep = {"id", "type", "predicate", "subject", "object", "doc", "unit"}
    if isinstance(data, dict):
        return {k: (v if k in keep else rename_gold(v, mapping, pattern)) for k, v in data.items()}
    if isinstance(data, list):
        return [rename_gold(v, mapping, pattern) for v in data]
    if isinstance(data, str):
        return substitute(data, mapping, pattern)
    return data


def read_gold(gold_dir: Path) -> dict[str, dict]:
    if not gold_dir.is_dir():
        raise InputError(f"gold dir {gold_dir} does not exist")
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise InputError(f"gold dir {gold_dir} holds no *.json files")
    gold = {}
    for f in files:
        try:
            gold[f.name] = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise InputError(f"cannot read gold file {f}: {str(err).splitlines()[0]}") from None
        if not isinstance(gold[f.name], dict) or not isinstance(gold[f.name].get("entities", []), list):
            raise InputError(f"malformed gold file {f}")
    return gold


def read_corpus(corpus: Path) -> dict[str, str]:
    if not corpus.is_dir():
        raise InputError(f"corpus dir {corpus} does not exist")
    texts = {}
    for f in sorted(corpus.glob("*.txt")):
        try:
            texts[f.name] = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read {f} as UTF-8: {str(err).splitlines()[0]}") from None
    if not texts:
        raise InputError(f"corpus dir {corpus} holds no *.txt files")
    return texts


def write_renamed(corpus: Path, texts: dict[str, str], gold: dict[str, dict],
                  mapping: dict[str, str], dest: Path) -> tuple[Path, Path]:
    """Write the renamed corpus and gold into ``dest``/corpus and ``dest``/gold."""
    pattern = compile_mapping(mapping)
    out_corpus, out_gold = dest / "corpus", dest / "gold"
    out_corpus.mkdir(parents=True)
    out_gold.mkdir(parents=True)
    for name, text in texts.items():
        (out_corpus / name).write_text(substitute(text, mapping, pattern), encoding="utf-8")
    manifest = corpus / "manifest.toml"
    if manifest.is_file():
        (out_corpus / manifest.name).write_text(
            substitute(manifest.read_text(encoding="utf-8"), mapping, pattern), encoding="utf-8")
    for name, data in gold.items():
        (out_gold / name).write_text(
            json.dumps(rename_gold(data, mapping, pattern), ensure_ascii=False, indent=1),
            encoding="utf-8")
    return out_corpus, out_gold


# ---------------------------------------------------------------- running

def build_and_score(corpus: Path, gold: Path, out: Path) -> dict:
    """``kg build --corpus CORPUS --out OUT`` then ``kg eval --gold GOLD --format json``,
    through the same API the commands use (in this process: the NLP loads once)."""
    from kg import api

    api.build(corpus, out, warn=lambda _msg: None)
    return api.evaluate(out, gold).to_dict()


def scores(report: dict) -> dict[str, float]:
    """The F1 figures compared: entity types, entities all/organizations, relations, figures."""
    ent = report["entities"]
    rows = {f"entity {t}": c["f1"] for t, c in ent["by_type"].items()}
    rows["entity ALL typed"] = ent["all_typed"]["f1"]
    rows["entity organizations"] = ent["organizations"]["f1"]
    rows["relation ALL"] = report["relations"]["all"]["f1"]
    rows["figure value+unit"] = report["figures"]["value_unit"]["f1"]
    rows["figure subject correct"] = report["figures"]["subject_correct"]["rate"]
    return rows


def compare(seed_scores: dict[str, float], renamed: dict[int, dict[str, float]]) -> list[dict]:
    rows = []
    for label, base in seed_scores.items():
        values = [renamed[s][label] for s in sorted(renamed)]
        mean = sum(values) / len(values)
        gap = base - mean
        rows.append({"row": label, "seed": round(base, 4),
                     "renamed": {str(s): round(renamed[s][label], 4) for s in sorted(renamed)},
                     "renamed_mean": round(mean, 4), "gap": round(gap, 4) + 0.0,
                     "worst_gap": round(base - min(values), 4), "flag": gap > GAP_LIMIT})
    return rows


def format_table(rows: list[dict], seeds: list[int]) -> str:
    head = f"{'F1 / rate':28}{'seed':>8}" + "".join(f"{f'ren.{s}':>8}" for s in seeds) \
        + f"{'mean':>8}{'gap':>8}{'worst':>8}"
    lines = [head]
    for r in rows:
        lines.append(f"{r['row']:28}{r['seed']:>8.3f}"
                     + "".join(f"{r['renamed'][str(s)]:>8.3f}" for s in seeds)
                     + f"{r['renamed_mean']:>8.3f}{r['gap']:>+8.3f}{r['worst_gap']:>+8.3f}"
                     + ("  > 0.10" if r["flag"] else ""))
    flagged = [r["row"] for r in rows if r["flag"]]
    lines.append("")
    lines.append(f"gap = seed − mean renamed; flagged (gap > {GAP_LIMIT:.2f}): "
                 + (", ".join(flagged) if flagged else "none"))
    lines.append("unseen articles: score benchmarks/heldout*/ with kg build --corpus and kg eval --gold (README).")
    return "\n".join(lines)


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--seed", type=int, action="append",
                    help="seed of the renaming; repeat for several (default: 1)")
    ap.add_argument("--out", type=Path, help="keep the renamed copies and builds here "
                    "(a new or empty folder outside the repository); default: a temporary folder")
    ap.add_argument("--format", choices=["table", "json"], default="table")
    args = ap.parse_args(argv)
    seeds = sorted(set(args.seed or [1]))
    from kg.errors import KgError

    try:
        return _run(args, seeds)
    except InputError as err:
        print(f"renamed_eval: error: {err}", file=sys.stderr)
        return 2
    except KgError as err:
        print(f"renamed_eval: error: {err}", file=sys.stderr)
        return err.exit_code
    except (RuntimeError, OSError) as err:
        print(f"renamed_eval: error: {err}", file=sys.stderr)
        return 1


def _run(args, seeds: list[int]) -> int:
    texts = read_corpus(args.corpus)
    gold = read_gold(args.gold)
    if args.out is not None:
        for folder in (ROOT, args.gold, args.corpus):
            if _inside(args.out, folder):
                raise InputError(f"--out {args.out} is inside {folder}; choose a folder outside it")
        if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
            raise InputError(f"--out {args.out} exists and is not an empty folder")
        args.out.mkdir(parents=True, exist_ok=True)
        work, cleanup = args.out, False
    else:
        work, cleanup = Path(tempfile.mkdtemp(prefix="kg-renamed-")), True
    try:
        vocab = load_vocabulary()
        seed_scores = scores(build_and_score(args.corpus, args.gold, work / "seed-build"))
        renamed, plans = {}, {}
        for seed in seeds:
            mapping, kept = plan_renaming(gold, list(texts.values()), vocab, seed)
            corpus, gold_dir = write_renamed(args.corpus, texts, gold, mapping, work / f"renamed-{seed}")
            renamed[seed] = scores(build_and_score(corpus, gold_dir, work / f"renamed-{seed}" / "build"))
            plans[seed] = {"renamed": len(mapping), "kept_as_general": kept}
        rows = compare(seed_scores, renamed)
    finally:
        if cleanup:
            shutil.rmtree(work, ignore_errors=True)
    if args.format == "json":
        print(json.dumps({"seeds": seeds, "rows": rows, "plans": {str(s): p for s, p in plans.items()},
                          "gap_limit": GAP_LIMIT}, ensure_ascii=False, indent=2))
    else:
        print(format_table(rows, seeds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
