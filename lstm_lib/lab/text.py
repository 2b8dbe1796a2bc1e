"""Characters as numbers, the course corpus, and per-character text features.

A character-level model reads text one character at a time. :class:`CharVocab` maps
each distinct character to an integer id and back; :func:`load_corpus` reads the small
text shipped with the package (``lstm_lib/lab/data/``, see its README for source and
licence); :func:`char_features` computes simple facts about each position of a text
(inside a quotation? how far into the line? at a word boundary?) that chapter 12
correlates with the units of a trained model (:func:`correlate_units`).

Letters: T text length (time), H hidden units, V vocabulary size.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

__all__ = [
    "CharVocab",
    "char_features",
    "correlate_units",
    "load_corpus",
    "shifted_correlations",
    "one_hot",
    "split_ids",
]


def load_corpus(name: str = "alice.txt") -> str:
    """Return the text of a corpus shipped in ``lstm_lib/lab/data/`` (read with importlib.resources).

    The default, ``alice.txt``, is the opening of Lewis Carroll's *Alice's Adventures in
    Wonderland* (1865, public domain), about 36 kB of plain ASCII.
    """
    data = resources.files("lstm_lib.lab") / "data"
    path = data / name
    if not name.endswith(".txt") or not path.is_file():
        known = sorted(p.name for p in data.iterdir() if p.name.endswith(".txt"))
        raise FileNotFoundError(f"load_corpus: no corpus {name!r}; known: {known}")
    return path.read_text(encoding="utf-8")


class CharVocab:
    """A bijection between the distinct characters of a text and the ids ``0 … V-1``.

    Ids follow the sorted order of the characters, so the same text always gives the
    same vocabulary.
    """

    def __init__(self, chars):
        chars = list(chars)
        if not chars or len(set(chars)) != len(chars) or any(len(c) != 1 for c in chars):
            raise ValueError(
                "CharVocab: expected a non-empty sequence of distinct single characters"
            )
        self.chars = chars
        self.index = {c: i for i, c in enumerate(chars)}

    @classmethod
    def from_text(cls, text: str) -> CharVocab:
        """The vocabulary of every character that occurs in ``text``."""
        if not isinstance(text, str) or not text:
            raise ValueError("CharVocab.from_text: expected a non-empty string")
        return cls(sorted(set(text)))

    def __len__(self) -> int:
        return len(self.chars)

    def __repr__(self) -> str:
        return f"CharVocab(V={len(self)})"

    def encode(self, text: str) -> np.ndarray:
        """Ids of the characters of ``text``, shape (T,), int64."""
        try:
            return np.array([self.index[c] for c in text], dtype=np.int64)
        except KeyError as err:
            raise ValueError(
                f"CharVocab.encode: character {err.args[0]!r} is not in the vocabulary"
            ) from None

    def decode(self, ids) -> str:
        """The text of a sequence of ids."""
        ids = np.asarray(ids, dtype=np.int64).ravel()
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(
                f"CharVocab.decode: ids must lie in 0 … {len(self) - 1}, got {ids.min()} … {ids.max()}"
            )
        return "".join(self.chars[i] for i in ids)


def one_hot(ids, vocab_size: int) -> np.ndarray:
    """One-hot rows for ``ids``: shape ``ids.shape + (V,)``, float64, a single 1 per row."""
    ids = np.asarray(ids, dtype=np.int64)
    if ids.size and (ids.min() < 0 or ids.max() >= vocab_size):
        raise ValueError(f"one_hot: ids must lie in 0 … {vocab_size - 1}")
    return np.eye(vocab_size)[ids]


def split_ids(ids, val_fraction: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Split a text into a training part and a validation part (the last ``val_fraction``).

    A contiguous tail, not random characters, so no validation window overlaps the
    training text.
    """
    ids = np.asarray(ids)
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"split_ids: expected 0 < val_fraction < 1, got {val_fraction}")
    cut = int(round(len(ids) * (1.0 - val_fraction)))
    return ids[:cut], ids[cut:]


def char_features(text: str) -> dict[str, np.ndarray]:
    """Simple per-character facts about ``text``, one value per position (shape (T,)).

    The value at position t describes the text *up to and including* character t, which
    is what a model's state after reading that character could know.

    - ``"inside_quotes"``: 1 between an opening ``"`` and its closing ``"`` (both
      quotes count as inside); reset to 0 at a blank line, because a paragraph that
      leaves a quote open (as verse does) would otherwise flip the meaning of every
      later quote.
    - ``"position_in_line"``: characters since the last newline, divided by 70 (the
      width at which the corpus is wrapped), so 0 at the start of a line and about 1 at
      its end.
    - ``"word_boundary"``: 1 at a space, newline or punctuation mark, 0 inside a word.
    - ``"inside_parentheses"``: 1 from ``(`` to ``)`` inclusive.
    - ``"uppercase"``: 1 at an upper-case letter.
    - ``"vowel"``: 1 at a vowel (a, e, i, o, u in either case).
    """
    if not isinstance(text, str):
        raise TypeError(f"char_features: expected a str, got {type(text).__name__}")
    T = len(text)
    inside_quotes = np.zeros(T)
    position = np.zeros(T)
    parentheses = np.zeros(T)
    quoted = False
    depth = 0
    column = 0
    previous = ""
    for t, ch in enumerate(text):
        if ch == "\n" and previous == "\n":
            quoted = False
        if ch == '"':
            inside_quotes[t] = 1.0
            quoted = not quoted
        else:
            inside_quotes[t] = float(quoted)
        if ch == "(":
            depth += 1
        parentheses[t] = float(depth > 0)
        if ch == ")":
            depth = max(depth - 1, 0)
        column = 0 if ch == "\n" else column + 1
        position[t] = column / 70.0
        previous = ch
    chars = np.array(list(text)) if T else np.array([], dtype="<U1")
    boundary = np.array([not c.isalnum() and c != "'" for c in text], dtype=float)
    upper = np.array([c.isupper() for c in text], dtype=float)
    vowel = np.isin(chars, list("aeiouAEIOU")).astype(float)
    return {
        "inside_quotes": inside_quotes,
        "position_in_line": position,
        "word_boundary": boundary,
        "inside_parentheses": parentheses,
        "uppercase": upper,
        "vowel": vowel,
    }


def correlate_units(activations, features: dict[str, np.ndarray]) -> dict[str, dict]:
    """For each feature, the unit whose activation correlates most strongly with it.

    Parameters
    ----------
    activations : array (T, H)
        One row per character, one column per unit (hidden state, cell state or a gate).
    features : dict of name -> array (T,)
        For example the output of :func:`char_features`.

    Returns
    -------
    dict of name -> {"unit": int, "r": float, "all_r": array (H,)}
        Pearson correlation of every unit with the feature (``all_r``; 0 for a unit or
        feature that never changes), and the unit with the largest ``|r|``, signed.

    Notes
    -----
    With H units searched, the best ``|r|`` is biased upwards: a feature unrelated to
    every unit still finds one with ``|r|`` around ``3 / sqrt(T)`` when both change
    quickly, and far more when both change slowly. Compare with the same search on a
    circularly shifted feature (:func:`shifted_correlations`) before believing a value.
    """
    A = np.asarray(activations, dtype=float)
    if A.ndim != 2:
        raise ValueError(f"correlate_units: expected activations of shape (T, H), got {A.shape}")
    T, H = A.shape
    centred = A - A.mean(axis=0)  # (T, H)
    a_norm = np.sqrt((centred**2).sum(axis=0))  # (H,)
    result = {}
    for name, value in features.items():
        f = np.asarray(value, dtype=float)
        if f.shape != (T,):
            raise ValueError(
                f"correlate_units: feature {name!r} has shape {f.shape}, expected ({T},)"
            )
        fc = f - f.mean()
        f_norm = np.sqrt((fc**2).sum())
        denom = a_norm * f_norm  # (H,)
        r = np.divide(fc @ centred, denom, out=np.zeros(H), where=denom > 0)  # (H,)
        unit = int(np.argmax(np.abs(r)))
        result[name] = {"unit": unit, "r": float(r[unit]), "all_r": r}
    return result


def shifted_correlations(activations, feature, shifts) -> np.ndarray:
    """Pearson correlation of every unit with circularly shifted copies of a feature.

    The null model for a search over units: a shifted feature keeps its own slowness
    (how long its runs last) and every unit keeps its own, but their alignment is
    destroyed. Shuffling the feature in time would also destroy its slowness, and slow
    signals correlate by chance far more than white noise does, so a shuffled control
    underestimates chance for slow features such as "inside a quotation".

    Parameters
    ----------
    activations : array (T, H)
    feature : array (T,)
    shifts : sequence of K ints
        Offsets of ``np.roll``; keep them away from 0 and T so the alignment is lost.

    Returns
    -------
    array (K, H)
        ``r[k, u]``: correlation of unit ``u`` with ``np.roll(feature, shifts[k])``;
        0 for a unit that never changes.
    """
    A = np.asarray(activations, dtype=float)
    f = np.asarray(feature, dtype=float)
    if A.ndim != 2 or f.shape != (A.shape[0],):
        raise ValueError(
            f"shifted_correlations: expected activations (T, H) and feature (T,), "
            f"got {A.shape} and {f.shape}"
        )
    centred = A - A.mean(axis=0)  # (T, H)
    a_norm = np.sqrt((centred**2).sum(axis=0))  # (H,)
    F = np.stack([np.roll(f, int(s)) for s in shifts], axis=1)  # (T, K)
    F = F - F.mean(axis=0)
    f_norm = np.sqrt((F**2).sum(axis=0))  # (K,)
    denom = f_norm[:, None] * a_norm[None, :]  # (K, H)
    return np.divide(F.T @ centred, denom, out=np.zeros(denom.shape), where=denom > 0)
