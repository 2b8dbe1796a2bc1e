"""Repeat chapter 10's lag sweep over several seeds; write lstm_lib/lab/data/ch10_seeds.json.

Chapter 10 trains each model once (seed 0) so that it runs in seconds; this script reruns
the same experiment (lstm_lib.lab.train.train_recall, identical settings) for seeds 0 … n-1,
so the chapter can say how often each result holds rather than rely on one run.

Five models, so that architecture and initialisation can be told apart: the plain RNN,
the GRU and the LSTM with PyTorch's default initialisation, and the GRU and the LSTM with
the bias of the gate that keeps the state set to 3 (the LSTM's forget gate f; the GRU's
update gate z, which keeps the old state when z is near 1 in PyTorch's convention
h' = (1 - z) * n + z * h). Every model gets the same seeds, data, budget and learning rate.

    .venv/bin/python scripts/ch10_seed_sweep.py                 # 10 seeds, 5 models: about 16 minutes (the JSON records the time)
    .venv/bin/python scripts/ch10_seed_sweep.py --seeds 1 --lags 3 --max-steps 20 --out /tmp/x.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from lstm_lib.lab.train import set_determinism, train_recall

# name -> (kind, keyword arguments of train_recall)
MODELS = {
    "rnn": ("rnn", {}),
    "gru": ("gru", {}),
    "gru_b3": ("gru", {"update_bias": 3.0}),
    "lstm": ("lstm", {}),
    "lstm_b3": ("lstm", {"forget_bias": 3.0}),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--lags", type=int, nargs="+", default=[5, 10, 20, 40])
    parser.add_argument("--max-steps", type=int, default=400)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[1]
        / "lstm_lib"
        / "lab"
        / "data"
        / "ch10_seeds.json",
    )
    args = parser.parse_args(argv)
    set_determinism(0)
    start = time.perf_counter()
    runs = []
    for lag in args.lags:
        for name, (kind, kwargs) in MODELS.items():
            for seed in range(args.seeds):
                h = train_recall(kind, lag, seed=seed, max_steps=args.max_steps, **kwargs)
                runs.append(
                    {
                        "model": name,
                        "kind": kind,
                        "lag": lag,
                        "seed": seed,
                        "gate_bias": next(iter(kwargs.values()), None),
                        "accuracy": h.last("accuracy"),
                        "steps": h.steps[-1],
                    }
                )
                print(
                    f"lag {lag:3d} {name:7s} seed {seed}: "
                    f"{h.last('accuracy'):.3f} after {h.steps[-1]} steps",
                    flush=True,
                )
    record = {
        "settings": {"seeds": args.seeds, "lags": args.lags, "max_steps": args.max_steps},
        "models": list(MODELS),
        "runs": runs,
        "seconds": round(time.perf_counter() - start, 1),
    }
    args.out.write_text(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
