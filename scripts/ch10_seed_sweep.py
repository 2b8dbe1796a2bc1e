"""Repeat chapter 10's lag sweep over several seeds; write lstm_lib/lab/data/ch10_seeds.json.

Chapter 10 trains each model once (seed 0) so that it runs in seconds; this script reruns
the same experiment (lstm_lib.lab.train.train_recall, identical settings) for seeds 0 … n-1,
so the chapter can say how often each result holds rather than rely on one run.

    .venv/bin/python scripts/ch10_seed_sweep.py                 # 10 seeds, a few minutes on a CPU
    .venv/bin/python scripts/ch10_seed_sweep.py --seeds 1 --lags 3 --max-steps 20 --out /tmp/x.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from lstm_lib.lab.train import set_determinism, train_recall

MODELS = {"rnn": None, "gru": None, "lstm": 3.0}  # kind -> initial forget-gate bias


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
        for kind, forget_bias in MODELS.items():
            for seed in range(args.seeds):
                h = train_recall(
                    kind, lag, seed=seed, max_steps=args.max_steps, forget_bias=forget_bias
                )
                runs.append(
                    {
                        "kind": kind,
                        "lag": lag,
                        "seed": seed,
                        "forget_bias": forget_bias,
                        "accuracy": h.last("accuracy"),
                        "steps": h.steps[-1],
                    }
                )
                print(
                    f"lag {lag:3d} {kind:5s} seed {seed}: {h.last('accuracy'):.3f} after {h.steps[-1]} steps",
                    flush=True,
                )
    record = {
        "settings": {"seeds": args.seeds, "lags": args.lags, "max_steps": args.max_steps},
        "runs": runs,
        "seconds": round(time.perf_counter() - start, 1),
    }
    args.out.write_text(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
