#!/usr/bin/env python3
"""Measure real BF16/FP8 matmul throughput on one GPU for the GEMM shapes that
traincost's step-time model prices, and the HBM copy bandwidth.

Not part of the build, tests or CI: run by hand on a machine with a GPU and
PyTorch (`python3 bench/device/gemm_throughput.py out.json`). The result is
committed under validation/gemm/ and checked by `traincost validate --gemm`.

Each shape is timed as nn.Linear lays it out: forward Y = X W^T (X: MxK,
W: NxK), data gradient dX = dY W, weight gradient dW = dY^T X. Timing: CUDA
events over back-to-back batches after a 0.3 s warm-up (see time_fn).
Random normal data (zeros run faster on Hopper: KINDS.md measured 894 vs 788).
"""
import json, statistics, sys, time, platform
import torch

dev = torch.device("cuda")
torch.backends.cuda.matmul.allow_tf32 = False


def time_fn(fn):
    """Median seconds per call. Calls run back to back in batches of >= 5 ms
    (as MLENG's mamf-finder times many iterations together), after 0.3 s of
    warm-up so the clocks have ramped; 15 batches, the median batch."""
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    n_warm = 0
    while time.perf_counter() - t0 < 0.3 or n_warm < 3:
        fn()
        n_warm += 1
        if n_warm % 8 == 0:
            torch.cuda.synchronize()
    torch.cuda.synchronize()
    a = torch.cuda.Event(enable_timing=True)
    b = torch.cuda.Event(enable_timing=True)
    a.record(); fn(); b.record(); b.synchronize()
    one = max(a.elapsed_time(b) / 1e3, 1e-6)
    k = max(1, min(1000, int(0.005 / one) + 1))
    times = []
    for _ in range(15):
        a.record()
        for _ in range(k):
            fn()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b) / 1e3 / k)
    return statistics.median(times)


def bf16_case(M, N, K):
    X = torch.randn(M, K, device=dev, dtype=torch.bfloat16)
    W = torch.randn(N, K, device=dev, dtype=torch.bfloat16)
    dY = torch.randn(M, N, device=dev, dtype=torch.bfloat16)
    out = {}
    for name, fn in (("fwd", lambda: X @ W.t()), ("dgrad", lambda: dY @ W), ("wgrad", lambda: dY.t() @ X)):
        s = time_fn(fn)
        out[name + "_s"] = s
        out[name + "_tflops"] = 2.0 * M * N * K / s / 1e12
    del X, W, dY
    return out


def fp8_case(M, N, K):
    X = torch.randn(M, K, device=dev).to(torch.float8_e4m3fn)
    W = torch.randn(N, K, device=dev).to(torch.float8_e4m3fn)
    one = torch.tensor(1.0, device=dev)
    fn = lambda: torch._scaled_mm(X, W.t(), scale_a=one, scale_b=one, out_dtype=torch.bfloat16)
    s = time_fn(fn)
    return {"fwd_s": s, "fwd_tflops": 2.0 * M * N * K / s / 1e12}


# (label, M tokens, N outputs, K inputs). Where they come from:
SHAPES = [
    ("square-4096", 4096, 4096, 4096),
    ("square-8192", 8192, 8192, 8192),
    ("square-16384", 16384, 16384, 16384),
    # Llama 3.1 405B, TP8, one 8192-token sequence gathered by sequence parallelism
    ("llama405b-tp8-qkv", 8192, 2304, 16384),
    ("llama405b-tp8-o", 8192, 16384, 2048),
    ("llama405b-tp8-up-gate", 8192, 13312, 16384),
    ("llama405b-tp8-down", 8192, 16384, 6656),
    # Llama 3.1 8B, TP1, one 8192-token sequence
    ("llama8b-qkv", 8192, 6144, 4096),
    ("llama8b-o", 8192, 4096, 4096),
    ("llama8b-up-gate", 8192, 28672, 4096),
    ("llama8b-down", 8192, 4096, 14336),
    # DeepSeek-V3 routed expert (hidden 7168, expert width 2048) at several token counts per expert
    ("dsv3-expert-up-gate-m256", 256, 4096, 7168),
    ("dsv3-expert-down-m256", 256, 7168, 2048),
    ("dsv3-expert-up-gate-m1024", 1024, 4096, 7168),
    ("dsv3-expert-down-m1024", 1024, 7168, 2048),
    ("dsv3-expert-up-gate-m4096", 4096, 4096, 7168),
    ("dsv3-expert-down-m4096", 4096, 7168, 2048),
    # Small models (GPT-3 1.3B hidden 2048; 350M hidden 1024), 2048-token micro-batches
    ("h2048-qkv-m4096", 4096, 6144, 2048),
    ("h2048-ffn-m4096", 4096, 8192, 2048),
    ("h1024-qkv-m2048", 2048, 3072, 1024),
    ("h1024-ffn-m2048", 2048, 4096, 1024),
    # Fine-grained MoE expert (Qwen3-30B-A3B: hidden 2048, expert width 768)
    ("qwen3moe-expert-up-gate-m512", 512, 1536, 2048),
    ("qwen3moe-expert-down-m512", 512, 2048, 768),
    # Tile quantisation: N not a multiple of 128
    ("ragged-n2000", 8192, 2000, 4096),
    ("ragged-n2048", 8192, 2048, 4096),
]
FP8_SHAPES = ["square-8192", "square-16384", "llama405b-tp8-up-gate", "llama405b-tp8-down",
              "dsv3-expert-up-gate-m1024", "dsv3-expert-down-m1024", "dsv3-expert-up-gate-m4096", "llama8b-up-gate"]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "gemm.json"
    props = torch.cuda.get_device_properties(0)
    res = {
        "schema": "traincost.gemm_measurement.v1",
        "device_name": props.name,
        "multiprocessors": props.multi_processor_count,
        "memory_bytes": props.total_memory,
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "cublas_note": "torch.matmul / torch._scaled_mm (cuBLAS / cuBLASLt heuristics), default settings",
        "date_utc": time.strftime("%Y-%m-%d", time.gmtime()),
        "host": platform.node(),
        "bf16": [],
        "fp8": [],
    }
    # HBM: device-to-device copy of 4 GiB, bytes read + written
    n = 1 << 31
    a = torch.empty(n, dtype=torch.uint8, device=dev)
    b = torch.empty_like(a)
    s = time_fn(lambda: b.copy_(a))
    res["hbm_copy_bytes_per_s"] = 2.0 * n / s
    del a, b
    for label, M, N, K in SHAPES:
        r = {"label": label, "m": M, "n": N, "k": K}
        r.update(bf16_case(M, N, K))
        res["bf16"].append(r)
        print(f"bf16 {label:32s} fwd {r['fwd_tflops']:7.1f} dgrad {r['dgrad_tflops']:7.1f} wgrad {r['wgrad_tflops']:7.1f} TFLOP/s", flush=True)
    # Maximum achievable matmul: a small brute-force sweep (MLENG's mamf-finder idea)
    best = (0, None)
    for M in (4096, 8192, 12288, 16384):
        for N in (4096, 8192, 12288, 16384):
            for K in (4096, 8192, 16384):
                X = torch.randn(M, K, device=dev, dtype=torch.bfloat16)
                W = torch.randn(N, K, device=dev, dtype=torch.bfloat16)
                s = time_fn(lambda: X @ W.t())
                t = 2.0 * M * N * K / s / 1e12
                if t > best[0]:
                    best = (t, [M, N, K])
                del X, W
    res["bf16_max_sweep"] = {"tflops": best[0], "mnk": best[1], "shapes_tried": 48}
    print("bf16 max", best, flush=True)
    try:
        bylabel = {s[0]: s for s in SHAPES}
        for label in FP8_SHAPES:
            _, M, N, K = bylabel[label]
            r = {"label": label, "m": M, "n": N, "k": K}
            r.update(fp8_case(M, N, K))
            res["fp8"].append(r)
            print(f"fp8  {label:32s} fwd {r['fwd_tflops']:7.1f} TFLOP/s", flush=True)
    except Exception as e:  # keep the BF16 results if FP8 is unavailable
        res["fp8_error"] = repr(e)
        print("fp8 failed:", e, flush=True)
    with open(path, "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
