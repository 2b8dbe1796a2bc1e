"""Small torch sequence models and a deterministic training loop for chapters 10-12.

The NumPy layers of :mod:`lstm_lib` show how a cell computes; this module trains cells
fast enough for a chapter to measure what they learn. A :class:`SequenceModel` is one
``torch.nn.RNN``/``GRU``/``LSTM`` layer (time-major, ``batch_first=False``, the same
parameter layout as ``lstm_lib``) followed by a linear read-out. Training uses Adam with
gradient-norm clipping and records a :class:`History` that the chapters plot.

Determinism: :func:`set_determinism` seeds torch, turns on
``torch.use_deterministic_algorithms`` and fixes the number of CPU threads, so the same
seed gives the same numbers on the same machine and torch version.

Letters: N batch, T time, I input features, H hidden units, O outputs, V vocabulary.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

__all__ = [
    "History",
    "SequenceModel",
    "count_parameters",
    "evaluate_accuracy",
    "evaluate_language_model",
    "hidden_size_for_budget",
    "language_model_batch",
    "load_model",
    "save_model",
    "set_determinism",
    "train_classifier",
    "train_language_model",
    "train_recall",
]

_KINDS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
_GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def set_determinism(seed: int = 0, threads: int = 1) -> None:
    """Seed torch and make CPU training reproducible.

    Sets the global torch seed, ``torch.use_deterministic_algorithms(True)`` and the
    number of intra-op threads (one thread by default: small models are not faster with
    more, and a fixed count removes one source of run-to-run differences).
    """
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"set_determinism: expected threads to be a positive int, got {threads!r}")
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)


class SequenceModel(nn.Module):
    """One recurrent layer (RNN, GRU or LSTM) and a linear read-out at every step.

    Parameters
    ----------
    kind : {"rnn", "gru", "lstm"}
        The recurrent layer.
    input_size, hidden_size, output_size : int
        I, H and O.
    forget_bias : float or None
        LSTM only: the initial forget-gate bias. ``bias_ih`` of the forget block is set
        to this value and ``bias_hh`` of that block to zero, so their sum, the bias the
        gate sees, is exactly ``forget_bias``. ``None`` keeps PyTorch's default uniform
        initialisation.
    update_bias : float or None
        GRU only: the initial bias of the update gate z, set the same way (``bias_ih`` of
        the z block, rows H..2H in PyTorch's order r, z, n, to this value, ``bias_hh`` to
        zero). PyTorch's GRU computes ``h' = (1 - z) * n + z * h``, so a large positive
        bias makes the unit start by *keeping* its state, the role ``forget_bias`` plays
        for the LSTM. ``None`` keeps PyTorch's default.
    seed : int or None
        Seed for the initial weights (``torch.manual_seed`` before construction).

    Notes
    -----
    ``forward(x, state=None)`` takes ``x`` of shape (T, N, I) and returns
    ``(logits, state)`` with logits (T, N, O); ``state`` is ``h`` (1, N, H) or, for the
    LSTM, ``(h, c)``. The recurrent layer is ``self.rnn`` and the read-out ``self.readout``.
    """

    def __init__(
        self,
        kind: str,
        input_size: int,
        hidden_size: int,
        output_size: int,
        *,
        forget_bias: float | None = None,
        update_bias: float | None = None,
        seed: int | None = 0,
    ):
        super().__init__()
        if kind not in _KINDS:
            raise ValueError(f"SequenceModel: expected kind in {sorted(_KINDS)}, got {kind!r}")
        for name, value in (
            ("input_size", input_size),
            ("hidden_size", hidden_size),
            ("output_size", output_size),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"SequenceModel: expected {name} to be a positive int, got {value!r}"
                )
        if forget_bias is not None and kind != "lstm":
            raise ValueError(
                f"SequenceModel: forget_bias applies to kind='lstm' only, got kind={kind!r}"
            )
        if update_bias is not None and kind != "gru":
            raise ValueError(
                f"SequenceModel: update_bias applies to kind='gru' only, got kind={kind!r}"
            )
        if seed is not None:
            torch.manual_seed(seed)
        self.kind = kind
        self.rnn = _KINDS[kind](input_size, hidden_size)
        self.readout = nn.Linear(hidden_size, output_size)
        if forget_bias is not None:
            H = hidden_size
            with torch.no_grad():
                # PyTorch's gate order is i, f, g, o: the forget block is rows H..2H.
                self.rnn.bias_ih_l0[H : 2 * H] = float(forget_bias)
                self.rnn.bias_hh_l0[H : 2 * H] = 0.0
        if update_bias is not None:
            H = hidden_size
            with torch.no_grad():
                # PyTorch's GRU gate order is r, z, n: the update block is rows H..2H.
                self.rnn.bias_ih_l0[H : 2 * H] = float(update_bias)
                self.rnn.bias_hh_l0[H : 2 * H] = 0.0

    def forward(self, x: torch.Tensor, state=None):
        hs, state = self.rnn(x, state)  # (T, N, H)
        return self.readout(hs), state  # (T, N, O)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars in ``model``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def _count(kind: str, I: int, H: int, O: int) -> int:  # noqa: E741
    G = _GATES[kind]
    return G * H * (I + H) + 2 * G * H + H * O + O


def hidden_size_for_budget(kind: str, input_size: int, output_size: int, budget: int) -> int:
    """The hidden size H whose :class:`SequenceModel` parameter count is closest to ``budget``.

    The count is ``G·H·(I + H) + 2·G·H + H·O + O`` with G = 1, 3, 4 for RNN, GRU, LSTM
    (two bias vectors per layer, as in PyTorch, plus the read-out).
    """
    if kind not in _GATES:
        raise ValueError(f"hidden_size_for_budget: expected kind in {sorted(_GATES)}, got {kind!r}")
    if budget < 1:
        raise ValueError(f"hidden_size_for_budget: expected a positive budget, got {budget}")
    best, H = 1, 1
    while _count(kind, input_size, H, output_size) <= budget:
        H += 1
    # H is the first size over budget; H - 1 the last one under (or H itself when H == 1)
    candidates = [h for h in (H - 1, H) if h >= 1]
    best = min(candidates, key=lambda h: abs(_count(kind, input_size, h, output_size) - budget))
    return best


@dataclass
class History:
    """What happened during training, for plotting and for assertions.

    ``steps`` lists the optimisation steps at which the model was evaluated; ``metrics``
    maps a name (``"loss"``, ``"accuracy"``, ``"val_loss"`` …) to the values measured at
    those steps. ``train_loss`` holds the loss of every step. ``stopped_early`` is True
    when the target was reached before ``max_steps``; ``seconds`` is the wall time.
    """

    steps: list[int] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    train_loss: list[float] = field(default_factory=list)
    stopped_early: bool = False
    seconds: float = 0.0

    def record(self, step: int, **values: float) -> None:
        self.steps.append(int(step))
        for name, value in values.items():
            self.metrics.setdefault(name, []).append(float(value))

    def last(self, name: str) -> float:
        """The most recent value of metric ``name``."""
        if not self.metrics.get(name):
            raise KeyError(f"History: no values recorded for {name!r}; have {sorted(self.metrics)}")
        return self.metrics[name][-1]

    def best(self, name: str, mode: str = "max") -> float:
        """The best value of metric ``name`` (``mode="max"`` or ``"min"``)."""
        values = self.metrics.get(name)
        if not values:
            raise KeyError(f"History: no values recorded for {name!r}; have {sorted(self.metrics)}")
        return max(values) if mode == "max" else min(values)

    def to_dict(self) -> dict:
        return {
            "steps": list(self.steps),
            # NaN (no training loss before the first step) becomes None: valid JSON
            "metrics": {
                k: [None if math.isnan(x) else x for x in v] for k, v in self.metrics.items()
            },
            "train_loss": list(self.train_loss),
            "stopped_early": self.stopped_early,
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, data: dict) -> History:
        return cls(
            steps=[int(s) for s in data["steps"]],
            metrics={
                k: [math.nan if x is None else float(x) for x in v]
                for k, v in data["metrics"].items()
            },
            train_loss=[float(x) for x in data.get("train_loss", [])],
            stopped_early=bool(data.get("stopped_early", False)),
            seconds=float(data.get("seconds", 0.0)),
        )


def _progress(iterable: Iterable, total: int, progress: bool, desc: str):
    if not progress:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, mininterval=0.5, leave=False)


@torch.no_grad()
def _check_loop(owner: str, steps_name: str, steps: int, min_steps: int, eval_every: int, clip):
    """Validate the arguments every training loop shares, with the loop's name in the message."""
    if steps < min_steps or eval_every < 1:
        raise ValueError(
            f"{owner}: expected {steps_name} >= {min_steps} and eval_every >= 1, "
            f"got {steps} and {eval_every}"
        )
    if not clip > 0:
        raise ValueError(f"{owner}: expected clip > 0 (the largest gradient norm), got {clip}")


def evaluate_accuracy(model: SequenceModel, x, y) -> float:
    """Fraction of sequences whose last-step prediction equals the target.

    ``x`` (T, N, I), ``y`` (N,) integer classes; NumPy or torch.
    """
    x = torch.as_tensor(x)
    y = torch.as_tensor(y)
    was_training = model.training
    model.eval()
    logits, _ = model(x)  # (T, N, O)
    model.train(was_training)
    return float((logits[-1].argmax(dim=-1) == y).float().mean())


def train_classifier(
    model: SequenceModel,
    make_batch: Callable[[int], tuple],
    *,
    eval_data: tuple,
    max_steps: int = 1000,
    lr: float = 1e-2,
    clip: float = 1.0,
    eval_every: int = 25,
    target_accuracy: float | None = None,
    progress: bool = False,
) -> History:
    """Train ``model`` to classify each sequence from its last step.

    Parameters
    ----------
    model : SequenceModel
        Its output size is the number of classes.
    make_batch : callable
        ``make_batch(step) -> (x, y)`` with x (T, N, I) and y (N,), NumPy or torch.
        Seeding it with ``step`` (e.g. ``delayed_recall(64, lag, seed=step)``) makes
        every run see the same data.
    eval_data : (x, y)
        A fixed held-out batch; accuracy on it is recorded every ``eval_every`` steps.
    max_steps, lr, clip : int, float, float
        Number of Adam steps, learning rate, and the maximum gradient norm
        (``torch.nn.utils.clip_grad_norm_``), which stops rare huge gradients from
        undoing training.
    target_accuracy : float or None
        Stop as soon as the held-out accuracy reaches this value.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    History
        With metrics ``"loss"`` (held-out cross-entropy) and ``"accuracy"``.
    """
    _check_loop("train_classifier", "max_steps", max_steps, 1, eval_every, clip)
    if target_accuracy is not None and not 0.0 < target_accuracy <= 1.0:
        raise ValueError(
            f"train_classifier: expected target_accuracy in (0, 1], got {target_accuracy}"
        )
    x_eval = torch.as_tensor(eval_data[0])
    y_eval = torch.as_tensor(eval_data[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = History()
    start = time.perf_counter()
    model.train()

    def evaluate(step: int) -> float:
        with torch.no_grad():
            logits, _ = model(x_eval)  # (T, N, O)
            loss = nn.functional.cross_entropy(logits[-1], y_eval)
            accuracy = float((logits[-1].argmax(dim=-1) == y_eval).float().mean())
        history.record(step, loss=float(loss), accuracy=accuracy)
        return accuracy

    evaluate(0)
    for step in _progress(range(1, max_steps + 1), max_steps, progress, "training"):
        x, y = (torch.as_tensor(a) for a in make_batch(step))
        logits, _ = model(x)  # (T, N, O)
        loss = nn.functional.cross_entropy(logits[-1], y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        history.train_loss.append(loss.item())
        if step % eval_every == 0 or step == max_steps:
            accuracy = evaluate(step)
            if target_accuracy is not None and accuracy >= target_accuracy:
                history.stopped_early = step < max_steps
                break
    history.seconds = time.perf_counter() - start
    return history


def language_model_batch(
    ids: np.ndarray, seq_len: int, batch_size: int, vocab_size: int, rng: np.random.Generator
):
    """A random batch of windows from a sequence of character ids, for next-character prediction.

    Returns
    -------
    x : tensor (T, N, V), float32
        One-hot characters ``ids[s : s + T]`` for N random starts s.
    y : tensor (T, N), int64
        The next characters ``ids[s + 1 : s + T + 1]``.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or len(ids) < seq_len + 2:
        raise ValueError(
            f"language_model_batch: expected a 1-D id sequence longer than seq_len + 1 = {seq_len + 1}, got shape {ids.shape}"
        )
    starts = rng.integers(0, len(ids) - seq_len - 1, size=batch_size)  # (N,)
    window = starts[None, :] + np.arange(seq_len + 1)[:, None]  # (T+1, N)
    chunk = torch.from_numpy(ids[window].astype(np.int64))  # (T+1, N)
    x = nn.functional.one_hot(chunk[:-1], vocab_size).float()  # (T, N, V)
    return x, chunk[1:]


@torch.no_grad()
def evaluate_language_model(
    model: SequenceModel, ids: np.ndarray, vocab_size: int, seq_len: int = 200
) -> float:
    """Mean cross-entropy (nats per character) of ``model`` on the whole sequence ``ids``.

    The text is cut into ``seq_len`` pieces that run one after another as a batch; the
    state starts at zero in each piece, so the first characters of a piece are predicted
    with little context (the same for every model compared).
    """
    ids = np.asarray(ids, dtype=np.int64)
    n_pieces = (len(ids) - 1) // seq_len
    if n_pieces < 1:
        raise ValueError(
            f"evaluate_language_model: need more than seq_len + 1 = {seq_len + 1} ids, got {len(ids)}"
        )
    used = n_pieces * seq_len
    inputs = torch.from_numpy(ids[:used].reshape(n_pieces, seq_len).T.copy())  # (T, N)
    targets = torch.from_numpy(ids[1 : used + 1].reshape(n_pieces, seq_len).T.copy())  # (T, N)
    was_training = model.training
    model.eval()
    logits, _ = model(nn.functional.one_hot(inputs, vocab_size).float())  # (T, N, V)
    model.train(was_training)
    return float(nn.functional.cross_entropy(logits.reshape(-1, vocab_size), targets.reshape(-1)))


def train_language_model(
    model: SequenceModel,
    train_ids: np.ndarray,
    val_ids: np.ndarray,
    *,
    vocab_size: int,
    steps: int = 1000,
    seq_len: int = 64,
    batch_size: int = 32,
    lr: float = 3e-3,
    clip: float = 1.0,
    eval_every: int = 50,
    seed: int = 0,
    on_eval: Callable[[int, SequenceModel, float], None] | None = None,
    progress: bool = False,
) -> History:
    """Train a character-level language model: predict every next character.

    Parameters
    ----------
    model : SequenceModel
        Input and output size V (characters are fed one-hot).
    train_ids, val_ids : array of int
        The training and validation text as character ids.
    steps, seq_len, batch_size, lr, clip : int, int, int, float, float
        Adam steps; window length T; windows per batch N; learning rate; gradient clip.
    eval_every : int
        Validation loss is recorded at step 0, every ``eval_every`` steps and at the end.
    seed : int
        Seed of the batch sampler.
    on_eval : callable or None
        ``on_eval(step, model, val_loss)`` after each evaluation, e.g. to draw a sample
        or keep the best weights.

    Returns
    -------
    History
        Metrics ``"val_loss"`` and ``"train_loss"`` (mean of the steps since the last
        evaluation), in nats per character.
    """
    _check_loop("train_language_model", "steps", steps, 0, eval_every, clip)
    rng = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = History()
    start = time.perf_counter()

    def evaluate(step: int, recent: list[float]) -> None:
        val = evaluate_language_model(model, val_ids, vocab_size)
        train = float(np.mean(recent)) if recent else math.nan
        history.record(step, val_loss=val, train_loss=train)
        if on_eval is not None:
            on_eval(step, model, val)

    evaluate(0, [])
    recent: list[float] = []
    model.train()
    for step in _progress(range(1, steps + 1), steps, progress, "training"):
        x, y = language_model_batch(train_ids, seq_len, batch_size, vocab_size, rng)
        logits, _ = model(x)  # (T, N, V)
        loss = nn.functional.cross_entropy(logits.reshape(-1, vocab_size), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        history.train_loss.append(loss.item())
        recent.append(loss.item())
        if step % eval_every == 0 or step == steps:
            evaluate(step, recent)
            recent = []
    history.seconds = time.perf_counter() - start
    return history


def save_model(model: SequenceModel, path, *, dtype=np.float16, **metadata) -> None:
    """Save ``model``'s weights and constructor arguments to an ``.npz`` file.

    Weights are stored as ``dtype`` (float16 by default: half the size, and a char model
    loses no visible quality); ``metadata`` values (strings, numbers, lists) are stored
    beside them. :func:`load_model` restores a float32 model.
    """
    arrays = {
        f"param/{k}": v.detach().cpu().numpy().astype(dtype) for k, v in model.state_dict().items()
    }
    header = {
        "kind": model.kind,
        "input_size": model.rnn.input_size,
        "hidden_size": model.rnn.hidden_size,
        "output_size": model.readout.out_features,
    }
    for key, value in {**header, **metadata}.items():
        arrays[f"meta/{key}"] = np.asarray(value)
    np.savez_compressed(path, **arrays)


def load_model(path) -> tuple[SequenceModel, dict]:
    """Load a model saved by :func:`save_model`; returns ``(model, metadata)``.

    ``path`` may be a file path or a name of a file shipped in ``lstm_lib/lab/data``
    (``"char_lstm.npz"``).
    """
    from importlib import resources
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        shipped = resources.files("lstm_lib.lab") / "data" / str(path)
        if not shipped.is_file():
            raise FileNotFoundError(f"load_model: no file {str(path)!r} (nor in lstm_lib/lab/data)")
        p = Path(str(shipped))
    with np.load(p, allow_pickle=False) as data:
        meta = {
            k[5:]: data[k].item() if data[k].ndim == 0 else data[k].tolist()
            for k in data.files
            if k.startswith("meta/")
        }
        params = {
            k[6:]: torch.from_numpy(data[k].astype(np.float32))
            for k in data.files
            if k.startswith("param/")
        }
    model = SequenceModel(
        meta["kind"],
        int(meta["input_size"]),
        int(meta["hidden_size"]),
        int(meta["output_size"]),
        seed=None,
    )
    model.load_state_dict(params)
    model.eval()
    return model, meta


def train_recall(
    kind: str,
    lag: int,
    *,
    seed: int = 0,
    n_symbols: int = 4,
    hidden_size: int = 16,
    batch_size: int = 64,
    max_steps: int = 400,
    lr: float = 3e-3,
    forget_bias: float | None = None,
    update_bias: float | None = None,
) -> History:
    """Chapter 10's experiment: train one model on delayed recall at ``lag``; return its History.

    Seed 0 reproduces the chapter's runs (model seed 0, batch ``k`` drawn with seed ``k``);
    seed ``s`` changes both the initial weights and the training data. Evaluation: 256
    held-out sequences every 20 steps; training stops at 99 % held-out accuracy.
    ``forget_bias`` (LSTM) and ``update_bias`` (GRU) set the initial bias of the gate
    that keeps the state (see :class:`SequenceModel`).
    """
    from .tasks import delayed_recall, recall_input_size

    K = n_symbols
    model = SequenceModel(
        kind,
        recall_input_size(K),
        hidden_size,
        K,
        forget_bias=forget_bias,
        update_bias=update_bias,
        seed=seed,
    )
    return train_classifier(
        model,
        lambda step: delayed_recall(batch_size, lag, n_symbols=K, seed=step + 1_000_003 * seed),
        eval_data=delayed_recall(256, lag, n_symbols=K, seed=10**6),
        max_steps=max_steps,
        lr=lr,
        eval_every=20,
        target_accuracy=0.99,
    )
