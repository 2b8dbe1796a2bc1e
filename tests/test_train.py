"""lstm_lib.lab.train: models, forget-bias initialisation, determinism, early stopping, saving."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lstm_lib.lab.tasks import delayed_recall, recall_input_size
from lstm_lib.lab.train import (
    History,
    SequenceModel,
    count_parameters,
    evaluate_accuracy,
    evaluate_language_model,
    hidden_size_for_budget,
    language_model_batch,
    load_model,
    save_model,
    set_determinism,
    train_classifier,
    train_language_model,
)


@pytest.fixture(autouse=True)
def _deterministic():
    set_determinism(0)


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_model_shapes_and_parameter_count_formula(kind):
    model = SequenceModel(kind, 6, 5, 3, seed=0)
    logits, state = model(torch.zeros(7, 2, 6))
    assert logits.shape == (7, 2, 3)
    G = {"rnn": 1, "gru": 3, "lstm": 4}[kind]
    assert count_parameters(model) == G * 5 * (6 + 5) + 2 * G * 5 + 5 * 3 + 3
    h = state[0] if kind == "lstm" else state
    assert h.shape == (1, 2, 5)


def test_forget_bias_sets_the_sum_of_both_biases_of_the_forget_block_only():
    H = 4
    model = SequenceModel("lstm", 3, H, 2, forget_bias=2.5, seed=0)
    total = (model.rnn.bias_ih_l0 + model.rnn.bias_hh_l0).detach().numpy()
    assert np.allclose(total[H : 2 * H], 2.5)
    default = SequenceModel("lstm", 3, H, 2, seed=0)
    other = (default.rnn.bias_ih_l0 + default.rnn.bias_hh_l0).detach().numpy()
    keep = np.r_[0:H, 2 * H : 4 * H]
    assert np.array_equal(total[keep], other[keep])  # the other gates are untouched


def test_update_bias_sets_the_sum_of_both_biases_of_the_gru_update_block_only():
    H = 4
    model = SequenceModel("gru", 3, H, 2, update_bias=3.0, seed=0)
    total = (model.rnn.bias_ih_l0 + model.rnn.bias_hh_l0).detach().numpy()
    assert np.allclose(total[H : 2 * H], 3.0)  # PyTorch's GRU blocks are r, z, n
    default = SequenceModel("gru", 3, H, 2, seed=0)
    other = (default.rnn.bias_ih_l0 + default.rnn.bias_hh_l0).detach().numpy()
    keep = np.r_[0:H, 2 * H : 3 * H]
    assert np.array_equal(total[keep], other[keep])  # r and n are untouched
    # one step with zero weights from h0 = 1: h = (1 - z) n + z h0 with z = sigmoid(3)
    b_ih = model.rnn.bias_ih_l0.detach().numpy()
    b_hh = model.rnn.bias_hh_l0.detach().numpy()
    with torch.no_grad():
        for name in ("weight_ih_l0", "weight_hh_l0"):
            getattr(model.rnn, name).zero_()
        hs, _ = model.rnn(torch.zeros(1, 1, 3), torch.ones(1, 1, H))
    r = 1 / (1 + np.exp(-(b_ih[:H] + b_hh[:H])))
    n = np.tanh(b_ih[2 * H :] + r * b_hh[2 * H :])
    z = 1 / (1 + np.exp(-3.0))
    assert np.allclose(hs[0, 0].numpy(), (1 - z) * n + z, atol=1e-6)


def test_model_arguments_are_validated():
    with pytest.raises(ValueError, match="SequenceModel: expected kind"):
        SequenceModel("transformer", 2, 2, 2)
    with pytest.raises(ValueError, match="hidden_size to be a positive int, got 0"):
        SequenceModel("lstm", 2, 0, 2)
    with pytest.raises(ValueError, match="forget_bias applies to kind='lstm' only"):
        SequenceModel("gru", 2, 2, 2, forget_bias=1.0)
    with pytest.raises(ValueError, match="update_bias applies to kind='gru' only"):
        SequenceModel("lstm", 2, 2, 2, update_bias=1.0)
    with pytest.raises(ValueError, match="threads"):
        set_determinism(0, threads=0)


def test_same_seed_same_initial_weights():
    a = SequenceModel("lstm", 3, 4, 2, seed=7)
    b = SequenceModel("lstm", 3, 4, 2, seed=7)
    c = SequenceModel("lstm", 3, 4, 2, seed=8)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert not torch.equal(a.rnn.weight_hh_l0, c.rnn.weight_hh_l0)


def _run(seed=0, **kw):
    K, lag = 3, 4
    model = SequenceModel("lstm", recall_input_size(K), 8, K, forget_bias=1.0, seed=seed)
    history = train_classifier(
        model,
        lambda s: delayed_recall(32, lag, n_symbols=K, seed=s),
        eval_data=delayed_recall(128, lag, n_symbols=K, seed=999),
        lr=1e-2,
        eval_every=10,
        **kw,
    )
    return model, history


def test_training_is_deterministic():
    _, h1 = _run(max_steps=40)
    _, h2 = _run(max_steps=40)
    assert h1.train_loss == h2.train_loss
    assert h1.metrics == h2.metrics


def test_training_learns_a_short_lag_and_stops_early():
    model, history = _run(max_steps=600, target_accuracy=0.99)
    assert history.stopped_early and history.steps[-1] < 600
    assert history.last("accuracy") >= 0.99
    assert history.metrics["accuracy"][0] < 0.6  # it did not know the answer before training
    x, y = delayed_recall(256, 4, n_symbols=3, seed=12345)
    assert evaluate_accuracy(model, x, y) >= 0.95
    assert history.seconds > 0


def test_train_classifier_validates_arguments():
    with pytest.raises(ValueError, match="target_accuracy in \\(0, 1\\]"):
        _run(max_steps=5, target_accuracy=1.5)
    with pytest.raises(ValueError, match="max_steps >= 1"):
        _run(max_steps=0)
    with pytest.raises(ValueError, match="clip > 0"):
        _run(max_steps=5, clip=0.0)


def test_history_roundtrip_and_accessors():
    h = History()
    h.record(0, val_loss=2.0, train_loss=math.nan)
    h.record(10, val_loss=1.5, train_loss=1.7)
    assert (
        h.last("val_loss") == 1.5 and h.best("val_loss", "min") == 1.5 and h.best("val_loss") == 2.0
    )
    d = h.to_dict()
    assert d["metrics"]["train_loss"][0] is None  # NaN is stored as JSON null
    back = History.from_dict(d)
    assert back.steps == [0, 10] and math.isnan(back.metrics["train_loss"][0])
    with pytest.raises(KeyError, match="no values recorded for 'accuracy'"):
        h.last("accuracy")


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_hidden_size_for_budget_is_closest(kind):
    V = 30
    budget = count_parameters(SequenceModel("lstm", V, 40, V, seed=None))
    H = hidden_size_for_budget(kind, V, V, budget)
    count = lambda h: count_parameters(SequenceModel(kind, V, h, V, seed=None))  # noqa: E731
    assert abs(count(H) - budget) <= abs(count(H - 1) - budget)
    assert abs(count(H) - budget) <= abs(count(H + 1) - budget)
    if kind == "lstm":
        assert H == 40


def test_language_model_batch_targets_are_the_next_characters():
    ids = np.arange(50) % 7
    x, y = language_model_batch(ids, 10, 4, 7, np.random.default_rng(0))
    assert x.shape == (10, 4, 7) and y.shape == (10, 4)
    inputs = x.argmax(dim=-1)
    assert torch.equal(y[:-1], inputs[1:])
    assert torch.equal(y, (inputs + 1) % 7)
    with pytest.raises(ValueError, match="longer than seq_len"):
        language_model_batch(ids[:5], 10, 4, 7, np.random.default_rng(0))


def test_language_model_learns_a_periodic_text_and_loss_matches_torch():
    V = 5
    ids = np.tile(np.arange(V), 60)
    model = SequenceModel("lstm", V, 16, V, seed=0)
    before = evaluate_language_model(model, ids, V, seq_len=20)
    assert abs(before - math.log(V)) < 0.5  # an untrained model is close to uniform
    history = train_language_model(
        model, ids, ids, vocab_size=V, steps=60, seq_len=20, batch_size=8, lr=2e-2, eval_every=20
    )
    assert history.steps == [0, 20, 40, 60]
    assert history.last("val_loss") < 0.2 < before
    # the evaluation is the plain mean cross-entropy over every predicted character
    x = torch.nn.functional.one_hot(torch.from_numpy(ids[:20]), V).float()[:, None]
    logits, _ = model(x)
    direct = torch.nn.functional.cross_entropy(logits[:, 0], torch.from_numpy(ids[1:21]))
    assert abs(evaluate_language_model(model, ids[:21], V, seq_len=20) - direct.item()) < 1e-6


def test_save_and_load_roundtrip(tmp_path):
    model = SequenceModel("gru", 4, 6, 4, seed=0)
    path = tmp_path / "m.npz"
    save_model(model, path, vocab="abcd", best_step=3)
    loaded, meta = load_model(path)
    assert meta["kind"] == "gru" and meta["vocab"] == "abcd" and meta["best_step"] == 3
    for p, q in zip(model.parameters(), loaded.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-2)  # float16 storage
    save_model(model, path, dtype=np.float32)
    exact, _ = load_model(path)
    assert all(
        torch.equal(p, q) for p, q in zip(model.parameters(), exact.parameters(), strict=True)
    )
    with pytest.raises(FileNotFoundError, match="load_model: no file"):
        load_model(tmp_path / "missing.npz")


def test_train_recall_seed_zero_is_the_chapter_run():
    K, lag = 4, 3
    model = SequenceModel("lstm", recall_input_size(K), 16, K, forget_bias=3.0, seed=0)
    manual = train_classifier(
        model,
        lambda s: delayed_recall(64, lag, n_symbols=K, seed=s),
        eval_data=delayed_recall(256, lag, n_symbols=K, seed=10**6),
        max_steps=40,
        lr=3e-3,
        eval_every=20,
        target_accuracy=0.99,
    )
    from lstm_lib.lab.train import train_recall

    again = train_recall("lstm", lag, seed=0, max_steps=40, forget_bias=3.0)
    other = train_recall("lstm", lag, seed=1, max_steps=40, forget_bias=3.0)
    assert again.train_loss == manual.train_loss and again.metrics == manual.metrics
    assert other.train_loss != manual.train_loss


def test_progress_bar_runs_and_writes_to_stderr(capsys):
    _, history = _run(max_steps=3, progress=True)
    assert history.steps[-1] == 3
    assert "training" in capsys.readouterr().err  # tqdm's bar, outside a notebook
