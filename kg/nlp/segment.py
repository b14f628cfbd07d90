"""jieba's accurate mode (``Tokenizer.cut(text, HMM=True)``), computed faster, word for word the same.

jieba 0.42.1 (the version ``pyproject.toml`` pins) segments a run of Chinese
characters in three passes: a dict of every word that starts at each position (the
DAG), then the best route through it, scored by the words' log frequencies, then a walk
that hands runs of single characters to the HMM of ``jieba.finalseg``. Each step goes
through generators and tuples. :class:`Segmenter` does the same arithmetic on the
same dictionary and model:

* the DAG and the route in one backward pass, each word's log probability computed
  once per process (``log(freq) - log(total)``, the same expression, so the same float);
* ties broken as jieba's ``max`` over ``(score, position)`` tuples breaks them (the
  longer word wins);
* the HMM's Viterbi over the four states unrolled, with back-pointers instead of a
  copied path per state, ties broken as its ``max`` over ``(score, state)`` does;
* the blocks of ``re.split`` told apart by their position (a capturing split
  alternates between text and matches), not by matching each again.

That halves the time of segmentation, the largest single part of extraction.
``tests/nlp/test_segment.py`` checks the words against jieba's own ``cut`` on
generated texts and on the corpus.
"""

from __future__ import annotations

from math import inf, log
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import jieba

#: a fragment that is in jieba's dictionary only as the prefix of longer words
#: (frequency 0). A log probability is never positive, so 1.0 cannot be one.
_PREFIX = 1.0


class Segmenter:
    """``cut(text)`` = ``list(tok.cut(text, HMM=True))`` for the jieba tokenizer ``tok``,
    whose dictionary (``FREQ``, ``total``) must not change afterwards."""

    def __init__(self, tok: jieba.Tokenizer):
        import jieba
        from jieba import finalseg

        tok.check_initialized()
        self._freq: dict[str, int] = tok.FREQ
        self._logtotal = log(tok.total)
        #: fragment → log probability, or _PREFIX; filled as fragments are met
        self._logp: dict[str, float] = {}
        self._han = jieba.re_han_default
        self._skip = jieba.re_skip_default
        self._finalseg = finalseg
        self._hmm_han = finalseg.re_han
        self._hmm_skip = finalseg.re_skip
        low = finalseg.MIN_FLOAT
        self._low = low
        self._emit = tuple(finalseg.emit_P[s] for s in "BMES")
        self._start = tuple(finalseg.start_P[s] for s in "BMES")
        trans = finalseg.trans_P
        # the eight transitions the model allows, in the order _viterbi reads them
        self._trans = tuple(trans[a].get(b, low) for a, b in
                            ("EB", "SB", "MM", "BM", "SS", "ES", "BE", "ME"))

    def cut(self, text: str) -> list[str]:
        """The words of ``text``, as jieba's ``cut(text, HMM=True)`` yields them."""
        out: list[str] = []
        han = True
        for block in self._han.split(text):
            han = not han  # the split alternates: text between matches, a match, ...
            if han:
                self._cut_han(block, out)
            elif block:
                space = True
                for part in self._skip.split(block):
                    space = not space
                    if space:
                        out.append(part)
                    else:  # anything else, one character at a time
                        out.extend(part)
        return out

    def _cut_han(self, s: str, out: list[str]) -> None:
        """jieba's ``__cut_DAG``: the best route through the dictionary's words, runs of
        single characters that are not a dictionary word given to the HMM."""
        freq, logp, logtotal = self._freq, self._logp, self._logtotal
        get, logp_get = freq.get, logp.get
        n = len(s)
        score = [0.0] * (n + 1)
        end = [0] * n  # the last character of the best word at each position
        for k in range(n - 1, -1, -1):
            best, last = -inf, -1
            i, frag = k, s[k]
            while i < n:
                p = logp_get(frag)
                if p is None:
                    f = get(frag)
                    if f is None:
                        break
                    p = logp[frag] = log(f) - logtotal if f else _PREFIX
                if p != _PREFIX:
                    v = p + score[i + 1]
                    if v >= best:  # a tie goes to the longer word
                        best, last = v, i
                i += 1
                frag = s[k:i + 1]
            if last < 0:  # no word starts here: the character alone, frequency 1
                best, last = log(get(s[k]) or 1) - logtotal + score[k + 1], k
            score[k] = best
            end[k] = last
        x, buf = 0, ""
        while x < n:
            y = end[x] + 1
            if y - x == 1:
                buf += s[x]
            else:
                if buf:
                    self._flush(buf, out)
                    buf = ""
                out.append(s[x:y])
            x = y
        if buf:
            self._flush(buf, out)

    def _flush(self, buf: str, out: list[str]) -> None:
        if len(buf) == 1:
            out.append(buf)
        elif not self._freq.get(buf):
            self._hmm(buf, out)
        else:
            out.extend(buf)

    def _hmm(self, text: str, out: list[str]) -> None:
        """``jieba.finalseg.cut``: Chinese runs by the HMM, the rest as its pattern splits it."""
        han = True
        for block in self._hmm_han.split(text):
            han = not han
            if han:
                force = self._finalseg.Force_Split_Words
                for w in self._viterbi(block):
                    if w in force:
                        out.extend(w)
                    else:
                        out.append(w)
            elif block:
                out.extend(x for x in self._hmm_skip.split(block) if x)

    def _viterbi(self, s: str) -> list[str]:
        """The words of ``finalseg``'s Viterbi over the states B, M, E, S."""
        eb, em, ee, es = self._emit
        low = self._low
        teb, tsb, tmm, tbm, tss, tes, tbe, tme = self._trans
        sb, sm, se, ss = self._start
        c = s[0]
        vb, vm, ve, vs = sb + eb.get(c, low), sm + em.get(c, low), se + ee.get(c, low), \
            ss + es.get(c, low)
        back: list[tuple[str, str, str, str]] = []  # the best previous state of B, M, E, S
        for c in s[1:]:
            b, m, e, x = eb.get(c, low), em.get(c, low), ee.get(c, low), es.get(c, low)
            # each max as jieba's over (score, state): a tie goes to the later letter
            p, q = ve + teb + b, vs + tsb + b
            nb, fb = (q, "S") if q >= p else (p, "E")
            p, q = vm + tmm + m, vb + tbm + m
            nm, fm = (p, "M") if p >= q else (q, "B")
            p, q = vb + tbe + e, vm + tme + e
            ne, fe = (q, "M") if q >= p else (p, "B")
            p, q = vs + tss + x, ve + tes + x
            ns, fs = (p, "S") if p >= q else (q, "E")
            back.append((fb, fm, fe, fs))
            vb, vm, ve, vs = nb, nm, ne, ns
        state = "S" if vs >= ve else "E"
        states = [state]
        for pointers in reversed(back):
            state = pointers["BMES".index(state)]
            states.append(state)
        states.reverse()
        words: list[str] = []
        begin = nexti = 0
        for i, state in enumerate(states):
            if state == "B":
                begin = i
            elif state == "E":
                words.append(s[begin:i + 1])
                nexti = i + 1
            elif state == "S":
                words.append(s[i])
                nexti = i + 1
        if nexti < len(s):
            words.append(s[nexti:])
        return words
