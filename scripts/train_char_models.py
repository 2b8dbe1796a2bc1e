"""Train the character-level LSTM and GRU that chapters 11 and 12 load.

Reproduces the shipped files in lstm_lib/lab/data/:

    char_lstm.npz     LSTM, H = 128, forget-gate bias initialised to 1 (weights as float16)
    char_gru.npz      GRU with the same number of parameters (H chosen to match)
    char_models.json  settings, validation-loss histories and samples drawn during training

Run from the repository root:

    .venv/bin/python scripts/train_char_models.py              # full size, a few minutes on a CPU
    .venv/bin/python scripts/train_char_models.py --steps 20 --hidden 16 --out /tmp/x   # smoke test

The weights saved are those of the evaluation step with the lowest validation loss
(early stopping), rounded to float16; the JSON records the validation loss of exactly
those rounded weights, so a chapter can recompute it and compare.
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path

from lstm_lib.lab.sampling import generate
from lstm_lib.lab.text import CharVocab, load_corpus, split_ids
from lstm_lib.lab.train import (
    SequenceModel,
    count_parameters,
    evaluate_language_model,
    hidden_size_for_budget,
    load_model,
    save_model,
    set_determinism,
    train_language_model,
)

PROMPT = "Alice "


def train_one(kind, hidden, vocab, train_ids, val_ids, args, sample_steps):
    V = len(vocab)
    model = SequenceModel(
        kind, V, hidden, V, forget_bias=1.0 if kind == "lstm" else None, seed=args.seed
    )
    best = {"val_loss": float("inf"), "state": None, "step": 0}
    samples = {}

    def on_eval(step, m, val_loss):
        if val_loss < best["val_loss"]:
            best.update(val_loss=val_loss, state=copy.deepcopy(m.state_dict()), step=step)
        if step in sample_steps:
            samples[str(step)] = generate(
                m, vocab, PROMPT, args.sample_length, temperature=0.8, seed=0
            )

    start = time.perf_counter()
    history = train_language_model(
        model,
        train_ids,
        val_ids,
        vocab_size=V,
        steps=args.steps,
        seq_len=args.seq_len,
        batch_size=args.batch_size,
        lr=args.lr,
        eval_every=args.eval_every,
        seed=args.seed,
        on_eval=on_eval,
        progress=args.progress,
    )
    model.load_state_dict(best["state"])
    return model, history, best["step"], samples, time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=2500)
    parser.add_argument(
        "--hidden", type=int, default=128, help="LSTM hidden size; the GRU is matched in parameters"
    )
    parser.add_argument("--seq-len", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--eval-every", type=int, default=100)
    parser.add_argument("--sample-length", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "lstm_lib" / "lab" / "data",
    )
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args(argv)

    set_determinism(args.seed)
    text = load_corpus("alice.txt")
    vocab = CharVocab.from_text(text)
    train_ids, val_ids = split_ids(vocab.encode(text), 0.1)
    V = len(vocab)
    # samples at a few evaluation steps, roughly log-spaced, and at the end
    evals = set(range(0, args.steps + 1, args.eval_every)) | {args.steps}
    sample_steps = sorted(
        {0, args.eval_every, 3 * args.eval_every, 10 * args.eval_every, args.steps} & evals
    )

    lstm_budget = count_parameters(SequenceModel("lstm", V, args.hidden, V, seed=None))
    gru_hidden = hidden_size_for_budget("gru", V, V, lstm_budget)
    args.out.mkdir(parents=True, exist_ok=True)
    record = {
        "corpus": "alice.txt",
        "settings": {
            k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "out"
        },
        "prompt": PROMPT,
        "sample_temperature": 0.8,
        "models": {},
    }
    for kind, hidden in (("lstm", args.hidden), ("gru", gru_hidden)):
        model, history, best_step, samples, seconds = train_one(
            kind, hidden, vocab, train_ids, val_ids, args, sample_steps
        )
        path = args.out / f"char_{kind}.npz"
        save_model(model, path, vocab="".join(vocab.chars), best_step=best_step)
        shipped, _ = load_model(path)  # the float16-rounded weights, as a chapter will load them
        record["models"][kind] = {
            "hidden_size": hidden,
            "parameters": count_parameters(model),
            "best_step": best_step,
            "shipped_val_loss": evaluate_language_model(shipped, val_ids, V),
            # per-evaluation metrics only; the loss of every single step would triple the file
            "history": {**history.to_dict(), "train_loss": []},
            "samples": samples,
            "seconds": round(seconds, 1),
        }
        print(
            f"{kind}: H={hidden}, {count_parameters(model)} parameters, best step {best_step}, "
            f"val loss {record['models'][kind]['shipped_val_loss']:.4f} nats/char, {seconds:.0f} s",
            flush=True,
        )
    (args.out / "char_models.json").write_text(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
