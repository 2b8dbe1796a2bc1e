"""Repeat chapter 7's first-input task over seeds; write lstm_lib/lab/data/ch07_truncation_seeds.json.

Chapter 7 trains a tiny LSTM to report the sign of the first of T = 12 random ±1 inputs,
once with full backpropagation through time and once with the gradient cut k = 4 steps
before the loss. The notebook runs seed 0 live (a few seconds); this script reruns the
same experiment (``lstm_lib.lab.bptt_tools.first_input_task_accuracy``, identical
settings) for seeds 0 … n-1, so that the chapter can say how often each result holds.

    .venv/bin/python scripts/ch07_truncation_seeds.py            # 10 seeds, about a minute
    .venv/bin/python scripts/ch07_truncation_seeds.py --seeds 1 --steps 5 --out /tmp/x.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from lstm_lib.lab.bptt_tools import first_input_task_accuracy

T, WINDOW = 12, 4  # the chapter's sequence length and truncation window
DEFAULT_OUT = (
    Path(__file__).resolve().parents[1] / "lstm_lib" / "lab" / "data" / "ch07_truncation_seeds.json"
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--steps", type=int, default=200, help="Adam steps per run")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    runs = []
    for truncation in (None, WINDOW):
        for seed in range(args.seeds):
            accuracy = first_input_task_accuracy(truncation, T=T, steps=args.steps, seed=seed)
            runs.append({"truncation": truncation, "seed": seed, "accuracy": accuracy})
            label = "full BPTT" if truncation is None else f"truncated at k = {truncation}"
            print(f"{label:20s} seed {seed}: accuracy {accuracy:.3f}", flush=True)
    record = {
        "settings": {"T": T, "window": WINDOW, "seeds": args.seeds, "steps": args.steps},
        "runs": runs,
        "seconds": round(time.perf_counter() - start, 1),
    }
    args.out.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
