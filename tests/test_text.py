"""lstm_lib.lab.text and lstm_lib.lab.sampling: corpus, vocabulary, features, correlation, temperature."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_lib.lab.sampling import entropy_bits, generate, softmax_with_temperature, temperature_view
from lstm_lib.lab.text import (
    CharVocab,
    char_features,
    correlate_units,
    load_corpus,
    one_hot,
    shifted_correlations,
    split_ids,
)
from lstm_lib.lab.train import SequenceModel, set_determinism


def test_corpus_is_small_ascii_and_documented():
    from importlib import resources

    text = load_corpus()
    assert 20_000 < len(text) < 100_000
    assert all(ord(c) < 128 for c in text)
    assert text.startswith("CHAPTER I.")
    readme = (resources.files("lstm_lib.lab") / "data" / "README.md").read_text()
    assert "public domain" in readme.lower() and "alice.txt" in readme


def test_unknown_corpus_lists_the_known_ones():
    with pytest.raises(FileNotFoundError, match="alice.txt"):
        load_corpus("shakespeare.txt")


def test_vocab_roundtrip_sorted_and_validated():
    vocab = CharVocab.from_text("hello world")
    assert vocab.chars == sorted(set("hello world")) and len(vocab) == 8
    ids = vocab.encode("hello")
    assert ids.dtype == np.int64 and vocab.decode(ids) == "hello"
    with pytest.raises(ValueError, match="character 'z' is not in the vocabulary"):
        vocab.encode("zoo")
    with pytest.raises(ValueError, match="ids must lie in"):
        vocab.decode([99])
    with pytest.raises(ValueError, match="distinct single characters"):
        CharVocab(["a", "a"])
    full = CharVocab.from_text(load_corpus())
    assert full.decode(full.encode(load_corpus())) == load_corpus()


def test_one_hot_and_split():
    oh = one_hot(np.array([[0, 2], [1, 1]]), 3)
    assert oh.shape == (2, 2, 3) and np.all(oh.sum(-1) == 1) and oh[0, 1, 2] == 1
    with pytest.raises(ValueError):
        one_hot([3], 3)
    train, val = split_ids(np.arange(100), 0.2)
    assert np.array_equal(train, np.arange(80)) and np.array_equal(val, np.arange(80, 100))
    with pytest.raises(ValueError, match="val_fraction"):
        split_ids(np.arange(10), 1.0)


def test_char_features_on_a_hand_checked_line():
    text = 'He said "hi (x)" ok\nab'
    f = char_features(text)
    quoted = "".join("1" if v else "0" for v in f["inside_quotes"])
    assert quoted == "0000000011111111000000"
    paren = "".join("1" if v else "0" for v in f["inside_parentheses"])
    assert paren == "0000000000001110000000"
    assert f["position_in_line"][0] == 1 / 70 and f["position_in_line"][19] == 0.0
    assert f["position_in_line"][21] == 2 / 70
    assert f["word_boundary"][2] == 1.0 and f["word_boundary"][1] == 0.0
    assert f["uppercase"][0] == 1.0 and f["vowel"][1] == 1.0 and f["vowel"][0] == 0.0
    assert all(v.shape == (len(text),) for v in f.values())


def test_an_open_quote_is_closed_by_a_blank_line():
    f = char_features('"open\n\nafter')
    assert f["inside_quotes"][:5].all() and not f["inside_quotes"][7:].any()


def test_correlate_units_finds_a_planted_unit():
    rng = np.random.default_rng(0)
    T, H = 500, 12
    feature = (rng.random(T) < 0.3).astype(float)
    acts = rng.standard_normal((T, H))
    acts[:, 7] = -2.0 * feature + 0.1 * rng.standard_normal(T)
    acts[:, 3] = 1.0  # a constant unit must not produce NaN
    out = correlate_units(acts, {"planted": feature, "noise": rng.random(T)})
    assert out["planted"]["unit"] == 7 and out["planted"]["r"] < -0.95
    np.testing.assert_allclose(
        out["planted"]["all_r"][0], np.corrcoef(acts[:, 0], feature)[0, 1], atol=1e-12
    )
    assert out["planted"]["all_r"][3] == 0.0
    assert abs(out["noise"]["r"]) < 0.2
    with pytest.raises(ValueError, match="expected activations of shape \\(T, H\\)"):
        correlate_units(np.zeros(5), {})
    with pytest.raises(ValueError, match="feature 'x' has shape"):
        correlate_units(acts, {"x": np.zeros(3)})


def test_shifted_correlations_match_correlate_units_and_expose_slow_chance():
    rng = np.random.default_rng(3)
    T, H = 4000, 6
    acts = rng.standard_normal((T, H))
    feature = rng.random(T)
    r = shifted_correlations(acts, feature, [0, 17])
    assert r.shape == (2, H)
    # shift 0 is the feature itself; shift 17 equals correlating the rolled feature
    assert np.allclose(r[0], correlate_units(acts, {"f": feature})["f"]["all_r"])
    assert np.allclose(r[1], correlate_units(acts, {"f": np.roll(feature, 17)})["f"]["all_r"])
    # two unrelated slow signals (runs of 400 steps) correlate by chance far more than
    # shuffling suggests: the circular-shift null is wider than the shuffled one
    slow_unit = np.repeat(rng.standard_normal(T // 400), 400)[:, None]  # (T, 1)
    slow_feature = np.repeat(rng.random(T // 400) > 0.5, 400).astype(float)
    shifts = rng.integers(500, T - 500, size=200)
    circular = np.abs(shifted_correlations(slow_unit, slow_feature, shifts)).max(axis=1)
    shuffled = [
        abs(correlate_units(slow_unit, {"f": rng.permutation(slow_feature)})["f"]["r"])
        for _ in range(50)
    ]
    assert np.quantile(circular, 0.95) > 4 * np.quantile(shuffled, 0.95)
    constant = shifted_correlations(np.ones((T, 1)), feature, [5])
    assert constant.tolist() == [[0.0]]
    with pytest.raises(ValueError, match="shifted_correlations"):
        shifted_correlations(acts, feature[:-1], [1])


def test_softmax_with_temperature_limits():
    logits = np.array([2.0, 1.0, 0.0, -1.0])
    p1 = softmax_with_temperature(logits, 1.0)
    np.testing.assert_allclose(p1, np.exp(logits) / np.exp(logits).sum())
    cold = softmax_with_temperature(logits, 1e-4)
    assert np.array_equal(cold, [1.0, 0.0, 0.0, 0.0])
    hot = softmax_with_temperature(logits, 1e4)
    np.testing.assert_allclose(hot, 0.25, atol=1e-3)
    assert entropy_bits(cold) == 0.0 and abs(entropy_bits(hot) - 2.0) < 1e-5
    ents = [entropy_bits(softmax_with_temperature(logits, t)) for t in (0.3, 0.7, 1.0, 2.0)]
    assert ents == sorted(ents)  # hotter is flatter
    with pytest.raises(ValueError, match="positive temperature"):
        softmax_with_temperature(logits, 0.0)
    with pytest.raises(ValueError, match="positive temperature"):
        softmax_with_temperature(logits, float("nan"))


def _model(V):
    set_determinism(0)
    return SequenceModel("lstm", V, 8, V, seed=0)


def test_generate_is_seeded_and_uses_the_vocabulary():
    vocab = CharVocab.from_text("abc .")
    model = _model(len(vocab))
    a = generate(model, vocab, "ab", 30, temperature=1.0, seed=1)
    b = generate(model, vocab, "ab", 30, temperature=1.0, seed=1)
    c = generate(model, vocab, "ab", 30, temperature=1.0, seed=2)
    assert a == b and a != c and len(a) == 30 and set(a) <= set("abc .")
    with pytest.raises(ValueError, match="non-empty prompt"):
        generate(model, vocab, "", 5)


def test_greedy_generation_follows_the_argmax():
    vocab = CharVocab.from_text("abcd")
    model = _model(len(vocab))
    out = generate(model, vocab, "a", 5, temperature=1e-6, seed=0)
    # rebuild the greedy continuation step by step with torch
    ids = list(vocab.encode("a"))
    for _ in range(5):
        x = torch.nn.functional.one_hot(torch.tensor(ids), 4).float()[:, None]
        logits, _ = model(x)
        ids.append(int(logits[-1, 0].argmax()))
    assert out == vocab.decode(ids[1:])


def test_temperature_view_is_what_the_widget_shows():
    vocab = CharVocab.from_text("abcdefgh")
    model = _model(len(vocab))
    cold = temperature_view(model, vocab, "abc", 0.2, top=3, length=20)
    hot = temperature_view(model, vocab, "abc", 3.0, top=3, length=20)
    assert len(cold["chars"]) == 3 and cold["probs"].shape == (3,)
    assert cold["chars"] == hot["chars"]  # the ranking does not depend on temperature
    assert cold["probs"][0] > hot["probs"][0] and cold["entropy"] < hot["entropy"]
    assert np.all(np.diff(cold["probs"]) <= 0) and len(cold["sample"]) == 20
    with pytest.raises(ValueError, match="top >= 1"):
        temperature_view(model, vocab, "abc", 1.0, top=0)
