"""Drawing text from a character-level model, and what temperature does to it.

A language model gives, after each character, scores (logits) ``z`` for every possible
next character. Sampling at temperature ``tau`` draws the next character from

.. math:: p_k = \\frac{\\exp(z_k / \\tau)}{\\sum_j \\exp(z_j / \\tau)},

so ``tau = 1`` samples the model's own distribution, ``tau < 1`` sharpens it towards the
most likely character (safe, repetitive text) and ``tau > 1`` flattens it towards
uniform (varied, error-prone text). :func:`temperature_view` is the compute function
behind chapter 11's temperature widget.

Letters: V vocabulary size.
"""

from __future__ import annotations

import numpy as np

__all__ = ["entropy_bits", "generate", "softmax_with_temperature", "temperature_view"]


def softmax_with_temperature(logits, temperature: float) -> np.ndarray:
    """Probabilities ``softmax(logits / temperature)`` along the last axis.

    Parameters
    ----------
    logits : array (..., V)
    temperature : float
        Must be positive. Computed stably (the maximum is subtracted first), so tiny
        temperatures give a one-hot vector instead of an overflow.

    Raises
    ------
    ValueError
        If ``temperature`` is not a positive finite number.
    """
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(
            f"softmax_with_temperature: expected a positive temperature, got {temperature}"
        )
    z = np.asarray(logits, dtype=float) / temperature  # (..., V)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def entropy_bits(probs) -> float:
    """Shannon entropy of a distribution over the last axis, in bits (0 log 0 = 0)."""
    p = np.asarray(probs, dtype=float)
    logs = np.log2(p, out=np.zeros_like(p), where=p > 0)
    return float(-(p * logs).sum(axis=-1))


def _next_logits(model, vocab, prompt: str):
    """Feed ``prompt`` to a torch :class:`~lstm_lib.lab.train.SequenceModel`; return last logits and state."""
    import torch

    ids = torch.from_numpy(vocab.encode(prompt))  # (T,)
    x = torch.nn.functional.one_hot(ids, len(vocab)).float()[:, None, :]  # (T, 1, V)
    with torch.no_grad():
        logits, state = model(x)  # (T, 1, V)
    return logits[-1, 0].numpy().astype(float), state  # (V,)


def generate(
    model, vocab, prompt: str, length: int, *, temperature: float = 1.0, seed: int | None = 0
) -> str:
    """Continue ``prompt`` by ``length`` characters sampled from ``model`` at ``temperature``.

    ``model`` is a :class:`lstm_lib.lab.train.SequenceModel` with input and output size V.
    The same seed gives the same text. Returns the new characters only.
    """
    import torch

    if not prompt:
        raise ValueError(
            "generate: expected a non-empty prompt (the model needs a first character)"
        )
    if length < 0:
        raise ValueError(f"generate: expected length >= 0, got {length}")
    rng = np.random.default_rng(seed)
    was_training = model.training
    model.eval()
    logits, state = _next_logits(model, vocab, prompt)
    out = []
    V = len(vocab)
    with torch.no_grad():
        for _ in range(length):
            p = softmax_with_temperature(logits, temperature)
            k = int(rng.choice(V, p=p))
            out.append(k)
            x = torch.zeros(1, 1, V)
            x[0, 0, k] = 1.0
            step_logits, state = model(x, state)  # (1, 1, V)
            logits = step_logits[0, 0].numpy().astype(float)
    model.train(was_training)
    return vocab.decode(out)


def temperature_view(
    model, vocab, prompt: str, temperature: float, *, top: int = 8, length: int = 120, seed: int = 0
) -> dict:
    """Everything the temperature widget shows for one setting.

    Returns
    -------
    dict with
        ``"chars"`` (list of the ``top`` most likely next characters under the model),
        ``"probs"`` (array (top,): their probabilities at this temperature),
        ``"entropy"`` (bits, of the full next-character distribution at this temperature),
        ``"sample"`` (a ``length``-character continuation of ``prompt`` at this temperature).
    """
    if top < 1:
        raise ValueError(f"temperature_view: expected top >= 1, got {top}")
    logits, _ = _next_logits(model, vocab, prompt)
    p = softmax_with_temperature(logits, temperature)  # (V,)
    order = np.argsort(-logits, kind="stable")[: min(top, len(vocab))]
    return {
        "chars": [vocab.chars[i] for i in order],
        "probs": p[order],
        "entropy": entropy_bits(p),
        "sample": generate(model, vocab, prompt, length, temperature=temperature, seed=seed),
    }
