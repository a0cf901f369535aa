#!/usr/bin/env python3
"""Python side of bench/embed/run.ts. Two modes, each printing ONE JSON object on stdout:

  peak  --threads N [--size 2048] [--reps 8]
        fp32 GEMM GFLOP/s (size^3 * 2 / best time) with torch.matmul (MKL/oneDNN) and numpy (its BLAS),
        with N threads. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed from this process's
        environment before numpy loads (they can pin OpenBLAS to a slow kernel): this measurement only.

  bench --input FILE.json
        sentence-transformers (PyTorch CPU, fp32) on the texts in FILE.json:
        {"model": DIR, "threads": N, "batch_size": 32, "reps": R, "warmup": W, "sample": K,
         "sets": [{"name": ..., "texts": [...]}]}
        Per set: wall time of each of R timed model.encode() calls over all texts (after a warm-up
        encode of the first W texts), real tokens (special tokens included, no padding, truncated at
        max_seq_length), the tokens actually computed (encode() sorts by character length and pads
        each batch to its longest text), the first K vectors (cross-check against the Node engines)
        and the share of CPU time used by other processes during the timed runs.

Runs in a venv outside the repo, e.g. /work/refvenv (torch==2.13.0, transformers==4.46.3,
sentence-transformers==3.3.1); see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs from /proc/stat; (0, 0) where that file does not exist."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields[:8]) - idle, sum(fields[:8])


def own_cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


class ForeignLoad:
    """Share of the machine's CPU time used by processes other than this one, over a window."""

    def __init__(self) -> None:
        self.hz = os.sysconf("SC_CLK_TCK")
        self.cpus = os.cpu_count() or 1
        self.max_share = 0.0

    def start(self) -> None:
        self.busy0, _ = cpu_ticks()
        self.own0 = own_cpu_seconds()
        self.wall0 = time.perf_counter()

    def stop(self) -> None:
        busy1, _ = cpu_ticks()
        wall = time.perf_counter() - self.wall0
        if wall <= 0 or busy1 == 0:
            return
        others = (busy1 - self.busy0) / self.hz - (own_cpu_seconds() - self.own0)
        self.max_share = max(self.max_share, max(0.0, others) / (wall * self.cpus))


def peak(args: argparse.Namespace) -> dict:
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        os.environ.pop(name, None)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)
    n = args.size
    flop = 2.0 * n**3
    out: dict = {"size": n, "threads": args.threads}

    def best_of(fn) -> float:
        fn()
        best = float("inf")
        for _ in range(args.reps):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        return best

    try:
        import torch

        torch.set_num_threads(args.threads)
        a, b = torch.randn(n, n), torch.randn(n, n)
        out["torch_gflops"] = flop / best_of(lambda: torch.matmul(a, b)) / 1e9
        out["torch_version"] = torch.__version__
    except Exception as err:  # noqa: BLE001 - reported, not fatal
        out["torch_error"] = repr(err)
    try:
        import numpy as np

        rng = np.random.default_rng(0)
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        out["numpy_gflops"] = flop / best_of(lambda: a @ b) / 1e9
        out["numpy_version"] = np.__version__
    except Exception as err:  # noqa: BLE001
        out["numpy_error"] = repr(err)
    return out


def bench(args: argparse.Namespace) -> dict:
    with open(args.input) as f:
        spec = json.load(f)
    threads = int(spec["threads"])
    import numpy as np
    import sentence_transformers
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(spec["model"], device="cpu")
    model.eval()
    tokenizer = model.tokenizer
    max_len = model.max_seq_length
    batch_size = int(spec["batch_size"])
    load = ForeignLoad()
    result: dict = {
        "versions": {
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "sentence_transformers": sentence_transformers.__version__,
            "numpy": np.__version__,
        },
        "threads": torch.get_num_threads(),
        "batch_size": batch_size,
        "max_seq_length": max_len,
        "modules": [type(m).__name__ for m in model],
        "sets": {},
    }

    def encode(texts: list[str]):
        return model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    for entry in spec["sets"]:
        texts: list[str] = entry["texts"]
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True, max_length=max_len)["input_ids"]]
        # encode() orders texts by descending character length, then batches: reproduce its padding.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        padded = 0
        for start in range(0, len(order), batch_size):
            chunk = [lengths[i] for i in order[start : start + batch_size]]
            padded += max(chunk) * len(chunk)
        encode(texts[: int(spec["warmup"])])
        times = []
        vectors = None
        for _ in range(int(spec["reps"])):
            load.start()
            t0 = time.perf_counter()
            vectors = encode(texts)
            times.append(time.perf_counter() - t0)
            load.stop()
        result["sets"][entry["name"]] = {
            "texts": len(texts),
            "times": times,
            "tokens": int(sum(lengths)),
            "padded_tokens": int(padded),
            "sample": vectors[: int(spec["sample"])].tolist(),
        }
    result["foreign_cpu_share"] = load.max_share
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("peak")
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--size", type=int, default=2048)
    p.add_argument("--reps", type=int, default=8)
    b = sub.add_parser("bench")
    b.add_argument("--input", required=True)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    out = peak(args) if args.mode == "peak" else bench(args)
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
