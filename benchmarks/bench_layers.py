"""lstm_lib's fused LSTM/GRU layers against torch.nn.LSTM/GRU on the CPU, one thread each.

Run with ``make bench`` or ``.venv/bin/python benchmarks/bench_layers.py [--repeats R]``.

Both libraries run on one thread, in float32, in the same process, alternating call by
call so that a busy machine slows both alike. The script re-executes itself once with
``OPENBLAS_NUM_THREADS=1``/``OMP_NUM_THREADS=1``/``MKL_NUM_THREADS=1`` (they must be set
before NumPy is imported) and without ``OPENBLAS_CORETYPE``/``OPENBLAS_L2_SIZE`` (both
dropped together, for this process only), so OpenBLAS picks the kernel for this CPU.

Times are medians over the repeats of the process CPU time (``time.process_time``), which
a shared machine disturbs far less than wall time; the wall-time medians are printed too.
Shapes: T time, N batch, I input features, H hidden units.
"""

import os
import sys

_SINGLE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_DROPPED = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

if os.environ.get("LSTM_LIB_BENCH_CHILD") != "1":  # before numpy is imported anywhere
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.update(_SINGLE_THREAD, LSTM_LIB_BENCH_CHILD="1")
    dropped = [k for k in _DROPPED if k in os.environ]
    env["LSTM_LIB_BENCH_DROPPED"] = ",".join(f"{k}={os.environ[k]}" for k in dropped)
    os.execve(sys.executable, [sys.executable, *sys.argv], env)

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from lstm_lib import GRU, LSTM  # noqa: E402

LAYERS = {"LSTM": LSTM, "GRU": GRU}


def blas_info():
    """Which BLAS kernel NumPy runs, and with how many threads (threadpoolctl if present)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed; see numpy.show_config()"
    rows = [
        f"{i['internal_api']} {i.get('version')} kernel={i.get('architecture')} "
        f"threads={i['num_threads']}"
        for i in threadpool_info()
    ]
    return "; ".join(rows)


def make_runs(kind, T, N, I, H, seed=0):  # noqa: E741
    """Four zero-argument callables: ours and torch's, forward and forward+backward."""
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(T, N, I)).astype(np.float32)
    dhs = rng.normal(size=(T, N, H)).astype(np.float32)
    ours = LAYERS[kind](I, H, dtype=np.float32, seed=seed)
    module = ours.to_torch()
    x = torch.tensor(xs, requires_grad=True)
    dhs_t = torch.tensor(dhs)

    def ours_forward():
        return ours.forward(xs)

    def ours_both():
        _, cache = ours.forward(xs)
        return ours.backward(dhs, cache)

    def torch_forward():
        with torch.no_grad():
            return module(x)

    def torch_forward_recording():  # autograd on: saves what backward needs, as ours does
        return module(x)

    def torch_both():
        hs, _ = module(x)
        hs.backward(dhs_t)
        x.grad = None
        module.zero_grad(set_to_none=True)

    G = ours.weight_ih.shape[0] // H
    weights_ih_t = np.ascontiguousarray(ours.weight_ih.T)  # (I, GH)
    weights_hh_t = np.ascontiguousarray(ours.weight_hh.T)  # (H, GH)
    projected = np.empty((T * N, G * H), dtype=np.float32)
    recurrent = np.empty((N, G * H), dtype=np.float32)
    h = np.zeros((N, H), dtype=np.float32)

    def matmuls_only():  # the forward's BLAS work alone: a floor for any NumPy forward
        np.matmul(xs.reshape(T * N, I), weights_ih_t, out=projected)
        for _ in range(T):
            np.matmul(h, weights_hh_t, out=recurrent)

    (hs, _), _ = ours.forward(xs)
    with torch.no_grad():
        t_hs, _ = module(x)
    error = float(np.max(np.abs(hs - t_hs.numpy())))
    assert error < 1e-4, f"{kind}: lstm_lib and torch disagree by {error}"
    runs = {
        "ours_fwd": ours_forward,
        "ours_matmuls": matmuls_only,
        "torch_fwd": torch_forward,
        "torch_fwd_grad": torch_forward_recording,
        "ours_both": ours_both,
        "torch_both": torch_both,
    }
    return runs, error


def measure(runs, repeats):
    """Median CPU and wall milliseconds of every run, calls interleaved."""
    for run in runs.values():  # warm up: allocator, BLAS buffers
        run()
    cpu = {name: [] for name in runs}
    wall = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            c0, w0 = time.process_time(), time.perf_counter()
            run()
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - w0)
    return (
        {k: 1e3 * float(np.median(v)) for k, v in cpu.items()},
        {k: 1e3 * float(np.median(v)) for k, v in wall.items()},
    )


def headline(repeats):
    print("\n## T=100, N=32, I=H=128, float32 (median ms; ratio = lstm_lib / torch)\n")
    print("| layer | pass | lstm_lib cpu | torch cpu | ratio cpu | lstm_lib wall | torch wall | ratio wall | goal |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in LAYERS:
        runs, error = make_runs(kind, 100, 32, 128, 128)
        cpu, wall = measure(runs, repeats)
        rows = (
            ("forward (torch: no_grad)", "ours_fwd", "torch_fwd", "<= 1.2"),
            ("forward (torch: autograd on)", "ours_fwd", "torch_fwd_grad", "(context)"),
            ("forward's matmuls only (torch: no_grad)", "ours_matmuls", "torch_fwd", "(floor)"),
            ("forward+backward", "ours_both", "torch_both", "<= 1.5"),
        )
        for label, ours, theirs, goal in rows:
            print(
                f"| {kind} | {label} | {cpu[ours]:.2f} | {cpu[theirs]:.2f} | "
                f"{cpu[ours] / cpu[theirs]:.2f} | {wall[ours]:.2f} | {wall[theirs]:.2f} | "
                f"{wall[ours] / wall[theirs]:.2f} | {goal} |"
            )
        print(f"<!-- {kind}: max |hs - torch hs| = {error:.1e} -->")


def scaling(repeats):
    for kind in LAYERS:
        for axis, values in (("T", (25, 50, 100, 200)), ("H", (32, 64, 128, 256))):
            print(f"\n## {kind}: time against {axis} (N=32, float32, CPU ms, median)\n")
            print(f"| {axis} | lstm_lib fwd | torch fwd | lstm_lib fwd+bwd | torch fwd+bwd | "
                  "lstm_lib fwd+bwd per step | ratio fwd | ratio fwd+bwd |")  # fmt: skip
            print("|---|---|---|---|---|---|---|---|")
            for value in values:
                T, H = (value, 128) if axis == "T" else (100, value)
                runs, _ = make_runs(kind, T, 32, H, H)
                del runs["torch_fwd_grad"], runs["ours_matmuls"]  # headline only
                cpu, _ = measure(runs, repeats)
                print(
                    f"| {value} | {cpu['ours_fwd']:.2f} | {cpu['torch_fwd']:.2f} | "
                    f"{cpu['ours_both']:.2f} | {cpu['torch_both']:.2f} | "
                    f"{cpu['ours_both'] / T:.3f} | {cpu['ours_fwd'] / cpu['torch_fwd']:.2f} | "
                    f"{cpu['ours_both'] / cpu['torch_both']:.2f} |"
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=30, help="timed calls per measurement")
    parser.add_argument("--no-scaling", action="store_true", help="only the headline table")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print("# lstm_lib vs torch.nn, one thread each\n")
    print(f"- CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} logical cores; "
          f"load average {os.getloadavg()[0]:.1f} at start (other jobs inflate and spread times)")  # fmt: skip
    print(f"- numpy {np.__version__}: {blas_info()}")
    print(f"- torch {torch.__version__}: {torch.get_num_threads()} thread, "
          f"mkldnn={torch.backends.mkldnn.is_available()}")  # fmt: skip
    dropped = os.environ.get("LSTM_LIB_BENCH_DROPPED")
    print(f"- dropped for this run: {dropped or 'nothing (OPENBLAS_CORETYPE/L2_SIZE not set)'}")
    print(f"- repeats: {args.repeats}")
    headline(args.repeats)
    if not args.no_scaling:
        scaling(max(5, args.repeats // 2))


if __name__ == "__main__":
    main()
