"""spaCy ``blank("zh")`` with our own jieba tokenizer and sentence boundaries.

The tokenizer owns a *private* ``jieba.Tokenizer`` loaded with the domain
dictionary shipped in ``kg/resources/domain_dict.txt``; the global jieba state is
never touched. Each token's ``tag_`` holds the part-of-speech tag that jieba's
dictionary gives the word (``""`` for a word jieba found by its HMM, i.e. an
out-of-vocabulary word, often a name). Looking tags up is as fast as plain
segmentation, unlike ``jieba.posseg`` (≈5× slower). The words are those of the
tokenizer's ``cut(text, HMM=True)``, computed by :mod:`kg.nlp.segment` in half the time.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from itertools import accumulate
from operator import add
from typing import TYPE_CHECKING, NamedTuple

from kg.nlp.segment import Segmenter

if TYPE_CHECKING:  # pragma: no cover
    import jieba
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

# spaCy, numpy and jieba are imported where they are used: the build's main process
# reads jieba's dictionary tags (the place table of resolution) without loading them

SENT_END = frozenset("。！？；!?;")
CLOSERS = frozenset("”’」』）)】》\"'")
_MARKS = SENT_END | CLOSERS


def _domain_dict_path() -> str:
    return str(resources.files("kg.resources").joinpath("domain_dict.txt"))


def _jieba_main_dict_path() -> str:
    """jieba's own dictionary (``jieba/dict.txt``), found without importing jieba."""
    spec = find_spec("jieba")
    assert spec is not None and spec.origin is not None, "jieba is not installed"
    return os.path.join(os.path.dirname(spec.origin), "dict.txt")


def _build_jieba_dict() -> tuple[dict[str, str], dict[str, int]]:
    """word → POS tag and word → frequency, from jieba's own dictionary and our domain dictionary."""
    tags: dict[str, str] = {}
    freqs: dict[str, int] = {}
    main = _jieba_main_dict_path()
    for path in (main, _domain_dict_path()):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 3 and not line.startswith("#"):
                    tags[parts[0]] = parts[2]
                    freqs[parts[0]] = int(parts[1]) if parts[1].isdigit() else 0
    for form in _national_bodies():
        tags[form] = "nt"
        freqs.setdefault(form, NATIONAL_BODY_FREQ)
    return tags, freqs


NATIONAL_BODY_FREQ = 2000


def _national_bodies() -> list[str]:
    """The forms of the national bodies' names (科技部, 国家发改委…), kept whole by the segmenter."""
    from kg.extract.lexicon import lexicon

    return sorted(set(lexicon().gov_bodies) | set(lexicon().national_media))


def _build_private_jieba() -> jieba.Tokenizer:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.tmp_dir = tempfile.gettempdir()
    tok.initialize()
    tok.load_userdict(_domain_dict_path())
    for form in _national_bodies():
        tok.add_word(form, NATIONAL_BODY_FREQ, "nt")
    return tok


# ---------------------------------------------------------------------------
# The dictionary cache. Building the dictionaries above costs about 1.5 s per process
# (jieba's prefix dictionary, 500,000 words, read with marshal.load from a file object,
# and dict.txt parsed again for the tags). Their result is kept in one file in the temp
# folder (as jieba keeps its own cache there), keyed by a hash of every input: jieba's
# dict.txt, our domain dictionary, the national bodies' names, this module's source,
# jieba's and Python's versions. The file holds three marshal blobs (tags, frequencies,
# the tokenizer's state), each read only when asked for: resolution needs the tags alone.
# A missing or unreadable file is rebuilt; an unwritable temp folder only costs the time.
# ---------------------------------------------------------------------------

_CACHE_MAGIC = b"KGJIEBA2"


@lru_cache(maxsize=1)
def _dict_cache_path() -> str:
    h = hashlib.sha256(_CACHE_MAGIC + sys.version.encode() + b"\0")
    spec = find_spec("jieba")
    jieba_dir = os.path.dirname(spec.origin) if spec and spec.origin else ""
    for path in (_jieba_main_dict_path(), _domain_dict_path(), __file__,
                 os.path.join(jieba_dir, "__init__.py")):
        with open(path, "rb") as fh:
            h.update(fh.read() + b"\0")
    h.update("\n".join(_national_bodies()).encode("utf-8"))
    return os.path.join(tempfile.gettempdir(), f"kg-jieba-{h.hexdigest()[:24]}.cache")


def _write_dict_cache(path: str, blobs: list[bytes]) -> None:
    header = _CACHE_MAGIC + b"".join(len(b).to_bytes(8, "little") for b in blobs)
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(header)
            for b in blobs:
                fh.write(b)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _read_dict_cache(path: str, part: int):
    """Blob ``part`` (0 tags, 1 frequencies, 2 tokenizer state) of the cache, or None."""
    try:
        with open(path, "rb") as fh:
            n = len(_CACHE_MAGIC)
            head = fh.read(n + 24)
            if len(head) != n + 24 or head[:n] != _CACHE_MAGIC:
                return None
            sizes = [int.from_bytes(head[n + 8 * i : n + 8 * i + 8], "little") for i in range(3)]
            if n + 24 + sum(sizes) != os.fstat(fh.fileno()).st_size:
                return None
            fh.seek(n + 24 + sum(sizes[:part]))
            data = fh.read(sizes[part])
        return marshal.loads(data)
    except (OSError, ValueError, EOFError, TypeError):
        return None


@lru_cache(maxsize=1)
def _fill_dict_cache() -> tuple[tuple[dict[str, str], dict[str, int]], jieba.Tokenizer]:
    """Build the dictionaries and the tokenizer from their sources, and store them."""
    import jieba.finalseg

    before = set(jieba.finalseg.Force_Split_Words)
    tags, freqs = _build_jieba_dict()
    tok = _build_private_jieba()
    force_split = sorted(set(jieba.finalseg.Force_Split_Words) - before)
    # the frequencies as a list in the order of the tags' words (the same words), so that
    # both dictionaries share their key strings when read back
    freq_blob = list(freqs.values()) if list(freqs) == list(tags) else freqs
    _write_dict_cache(_dict_cache_path(), [
        marshal.dumps(tags), marshal.dumps(freq_blob),
        marshal.dumps((tok.FREQ, tok.total, tok.user_word_tag_tab, force_split))])
    return (tags, freqs), tok


@lru_cache(maxsize=1)
def _jieba_tags() -> dict[str, str]:
    tags = _read_dict_cache(_dict_cache_path(), 0)
    return tags if isinstance(tags, dict) else _fill_dict_cache()[0][0]


@lru_cache(maxsize=1)
def _jieba_freqs() -> dict[str, int]:
    freqs = _read_dict_cache(_dict_cache_path(), 1)
    if isinstance(freqs, list):
        tags = _jieba_tags()
        if len(freqs) == len(tags):
            return dict(zip(tags, freqs))
    elif isinstance(freqs, dict):
        return freqs
    return _fill_dict_cache()[0][1]


def _jieba_dict() -> tuple[dict[str, str], dict[str, int]]:
    """word → POS tag and word → frequency, from jieba's own dictionary and our domain dictionary."""
    return _jieba_tags(), _jieba_freqs()


def word_frequency(word: str) -> int:
    """How often jieba's dictionary says ``word`` occurs (0 when it is not a dictionary word)."""
    return _jieba_freqs().get(word, 0)


@lru_cache(maxsize=1)
def _private_jieba() -> jieba.Tokenizer:
    """Our jieba tokenizer: jieba's dictionary, the domain dictionary, the national bodies."""
    import jieba
    import jieba.finalseg

    jieba.setLogLevel(logging.WARNING)
    state = _read_dict_cache(_dict_cache_path(), 2)
    if not (isinstance(state, tuple) and len(state) == 4):
        return _fill_dict_cache()[1]
    tok = jieba.Tokenizer()
    tok.tmp_dir = tempfile.gettempdir()
    tok.FREQ, tok.total, tok.user_word_tag_tab, force_split = state
    for word in force_split:  # what add_word does for a word of frequency 0
        jieba.finalseg.add_force_split(word)
    tok.initialized = True
    return tok


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """spaCy's ``get_words_and_spaces`` for words that spell ``text`` exactly (jieba's),
    in linear time: spaCy's searches the rest of the text for each word, which copies it
    each time (quadratic in a long document). A single space after a word becomes the
    word's trailing space; other whitespace runs are words of their own."""
    if "".join(words) != text:
        from spacy.util import get_words_and_spaces

        return get_words_and_spaces(words, text)
    out_words: list[str] = []
    out_spaces: list[bool] = []
    done = pos = 0  # done: text consumed so far; pos: where the current word starts
    n = len(text)
    for w in words:
        if w.isspace():
            pos += len(w)
            continue
        if pos > done:
            out_words.append(text[done:pos])
            out_spaces.append(False)
        out_words.append(w)
        done = pos = pos + len(w)
        space = done < n and text[done] == " "
        out_spaces.append(space)
        done += space
    if done < n:
        out_words.append(text[done:])
        out_spaces.append(False)
    return out_words, out_spaces


TOKENS_KEY = "kg_tokens"
SENTS_KEY = "kg_sentences"


class DocTokens(NamedTuple):
    """The text of a Doc and its words' texts, start offsets and jieba tags, as plain lists."""

    text: str
    words: list[str]
    starts: list[int]
    tags: list[str]


def doc_tokens(doc: Doc) -> DocTokens:
    """The plain view our tokenizer stored on ``doc``; computed from the Doc for any other Doc."""
    cached = doc.user_data.get(TOKENS_KEY)
    if cached is not None and len(cached.words) == len(doc):
        return cached
    return DocTokens(doc.text, [t.text for t in doc], [t.idx for t in doc], [t.tag_ for t in doc])


def doc_text(doc: Doc) -> str:
    return doc_tokens(doc).text


class JiebaTokenizer:
    """Segments text with a private jieba tokenizer into a spaCy ``Doc``."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.jieba = _private_jieba()
        self.tags = _jieba_tags()
        self.cut = Segmenter(self.jieba).cut  # = self.jieba.cut(text, HMM=True), faster

    def __call__(self, text: str) -> Doc:
        import numpy
        from spacy.attrs import TAG
        from spacy.tokens import Doc

        words, spaces = words_and_spaces(self.cut(text), text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        # each distinct word looked up once (the dictionary is large, a text repeats its words)
        tag_of = {w: self.tags.get(w, "") for w in dict.fromkeys(words)}
        tags = [tag_of[w] for w in words]
        if words:  # one from_array call: setting token.tag_ one by one creates a Token per word
            strings = self.vocab.strings
            tag_id = {t: strings.add(t) for t in dict.fromkeys(tags)}
            doc.from_array([TAG], numpy.array([tag_id[t] for t in tags], dtype="uint64"))
        starts = list(accumulate(map(add, map(len, words), spaces), initial=0))
        starts.pop()  # (the end of the last word)
        # the plain-Python view the extractors read (Doc.text and iterating the Doc build a
        # Token object per word each time, which cost as much as segmenting)
        doc.user_data[TOKENS_KEY] = DocTokens(text, words, starts, tags)
        return doc

    # spaCy serialisation hooks (the tokenizer has no state of its own to save)
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "JiebaTokenizer":
        return self


def sentence_step(words: list[str], i: int, start_next: bool) -> tuple[bool, bool]:
    """Whether word ``i`` begins a sentence and whether the word after it is to, given whether
    word ``i`` was to (``start_next``): a sentence ends after 。！？； (with any closing quotes)
    and at a line break (one right after a sentence's end is a sentence of its own)."""
    text = words[i]
    if text.isspace() and "\n" in text:
        return start_next or i == 0, True
    if text[-1] in SENT_END or (text[-1] in CLOSERS and i > 0 and words[i - 1][-1] in SENT_END):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if not (nxt and nxt[0] in CLOSERS):
            return start_next, True
    return start_next, False


def sentence_firsts(words: list[str]) -> list[int]:
    """The indices of the words that begin a sentence (:func:`sentence_step` at every word).

    Only a word that ends with one of the marks or holds a line break can end a sentence, so
    the step is taken at those words alone (the others are most of a text): of the words
    between two of them, the first begins a sentence if one is to begin."""
    firsts: list[int] = []
    start_next = True
    done = 0  # the words before ``done`` are decided
    for i in [i for i, w in enumerate(words) if w[-1] in _MARKS or "\n" in w]:
        if start_next and i > done:
            firsts.append(done)
            start_next = False
        first, start_next = sentence_step(words, i, start_next)
        if first:
            firsts.append(i)
        done = i + 1
    if start_next and done < len(words):
        firsts.append(done)
    return firsts


def kg_sentences(doc: Doc) -> Doc:
    """Sentence boundaries: after 。！？； (with any closing quotes) and at line breaks
    (:func:`sentence_firsts`).

    All starts are set in one ``from_array`` call: setting ``is_sent_start``
    token by token re-checks the whole Doc each time (quadratic).
    """
    import numpy
    from spacy.attrs import SENT_START

    n = len(doc)
    if n == 0:
        return doc
    view = doc_tokens(doc)
    firsts = sentence_firsts(view.words)
    starts = numpy.full((n, 1), -1, dtype="int64")
    starts[firsts, 0] = 1
    doc.from_array([SENT_START], starts.astype("uint64"))
    lasts = [j - 1 for j in firsts[1:]] + [n - 1]
    doc.user_data[SENTS_KEY] = [(view.starts[i], view.starts[j] + len(view.words[j]))
                                for i, j in zip(firsts, lasts)]
    return doc


def doc_sentences(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence, as ``doc.sents`` gives them."""
    cached = doc.user_data.get(SENTS_KEY)
    if cached is not None:
        return cached
    return [(s.start_char, s.end_char) for s in doc.sents]


@lru_cache(maxsize=1)
def _register_sentences() -> None:
    """Register the ``kg_sentences`` component with spaCy (once, when spaCy is loaded)."""
    from spacy.language import Language

    Language.component("kg_sentences", func=kg_sentences)


def make_nlp(*, extract: bool = True) -> Language:
    """A fresh pipeline: jieba tokenizer, sentences, and (optionally) the extractors."""
    import spacy

    _register_sentences()
    nlp = spacy.blank("zh")
    # spaCy refuses texts over 1M characters to bound the memory of parsers and NER, which
    # this pipeline has none of; the size of a document is limited when it is loaded
    # (kg.text.load.MAX_FILE_BYTES, kg build --max-file-mb)
    nlp.max_length = 10**9
    nlp.tokenizer = JiebaTokenizer(nlp.vocab)
    nlp.add_pipe("kg_sentences")
    if extract:
        import kg.extract.components  # noqa: F401  (registers the factories)

        nlp.add_pipe("kg_entities")
        nlp.add_pipe("kg_relations")
        nlp.add_pipe("kg_figures")
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """One pipeline per process (building it costs ~1 s: jieba's dictionary)."""
    return make_nlp()
