#!/usr/bin/env python3
"""Time the parts of one MoE layer that traincost's step-time model prices
(estimator/src/perf/moe_layer.cpp), on real GPUs, for the shapes of the models
NVIDIA's Megatron-Bridge rows measure:

  router   the d x E router GEMM, softmax and top-k (BF16, forward + backward)
  permute  gather the k routed copies of each token into expert order and the
           weighted unpermute (scatter-add) back: HBM traffic, forward + backward
  experts  the routed experts' GEMMs at the real tokens per expert, as
           TransformerEngine's GroupedLinear runs them (one GEMM per local expert
           and product) and, where this PyTorch has it, as one grouped GEMM
           (torch._grouped_mm); forward + data gradient + weight gradient
  host     the same expert loop timed on the host (time.perf_counter around the
           launches, no synchronisation inside): the launch cost per local expert
           that `moe.host_s_per_local_expert_per_layer` stands for
  a2a      dispatch + combine all-to-all inside the node (torch.distributed
           all_to_all_single), only when started with torchrun and WORLD_SIZE > 1

Not part of the build, tests or CI: run by hand on a GPU machine with PyTorch,
  python3 bench/device/moe_layer_timing.py out.json              # one GPU
  torchrun --nproc-per-node 8 bench/device/moe_layer_timing.py out.json   # + a2a
and compare each case with `traincost plan ... --plan ...` (the breakdown's GEMMs,
MoE token permute, MoE host-bound and EP all-to-all lines) for the same shape.
Timing: CUDA events over back-to-back calls after warm-up (as gemm_throughput.py).
"""
import json, os, statistics, sys, time, platform
import torch

dev = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
torch.cuda.set_device(dev)


def time_fn(fn, batches=11):
    """Median seconds per call over batches of >= 5 ms, after 0.2 s of warm-up."""
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 0.2:
        fn()
    torch.cuda.synchronize()
    a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    a.record(); fn(); b.record(); b.synchronize()
    k = max(1, min(200, int(0.005 / max(a.elapsed_time(b) / 1e3, 1e-6)) + 1))
    times = []
    for _ in range(batches):
        a.record()
        for _ in range(k):
            fn()
        b.record(); b.synchronize()
        times.append(a.elapsed_time(b) / 1e3 / k)
    return statistics.median(times)


# (label, hidden d, expert width w, gated, routed experts E, top-k, tokens per GPU, ep)
# Shapes from the models' configs (models/*.json in traincost); tokens per GPU = one
# micro-batch of the published plans (4096 x mb); ep as in NVIDIA's rows.
CASES = [
    ("qwen3-30b-a3b-mb4-ep8", 2048, 768, True, 128, 8, 16384, 8),
    ("qwen3-30b-a3b-mb1-ep8", 2048, 768, True, 128, 8, 4096, 8),
    ("deepseek-v3-mb1-ep32", 7168, 2048, True, 256, 8, 4096, 32),
    ("deepseek-v3-mb1-ep8", 7168, 2048, True, 256, 8, 4096, 8),
    ("gpt-oss-120b-mb4-ep8", 2880, 2880, True, 128, 4, 16384, 8),
    ("qwen3-235b-a22b-mb1-ep8", 4096, 1536, True, 128, 8, 4096, 8),
    ("mixtral-8x7b-mb1-ep1", 4096, 14336, True, 8, 2, 4096, 1),
]


def case(label, d, w, gated, E, k, T, ep):
    bf = torch.bfloat16
    local = E // ep
    # Balanced routing (NVIDIA's rows force-balance it): each local expert sees
    # ep * T * k / E tokens.
    per_expert = max(1, ep * T * k // E)
    out = {"label": label, "d": d, "w": w, "gated": gated, "experts": E, "top_k": k, "tokens": T, "ep": ep,
           "local_experts": local, "tokens_per_expert": per_expert}
    x = torch.randn(T, d, device=dev, dtype=bf, requires_grad=True)
    router = torch.randn(E, d, device=dev, dtype=bf, requires_grad=True)

    def router_fn():
        logits = x @ router.t()
        p = torch.softmax(logits.float(), dim=-1)
        val, idx = torch.topk(p, k, dim=-1)
        val.sum().backward()
    out["router_s"] = time_fn(router_fn)

    idx = torch.randint(0, E, (T, k), device=dev)
    weights = torch.rand(T, k, device=dev, dtype=bf)
    order = torch.argsort(idx.flatten())
    src = order // k

    def permute_fn():
        xp = x.detach().index_select(0, src)              # dispatch order
        y = torch.zeros(T, d, device=dev, dtype=bf)       # weighted unpermute
        y.index_add_(0, src, xp * weights.flatten()[order].unsqueeze(1))
        return y
    # forward; the backward moves the same tensors again (16-bit gradients)
    out["permute_fwd_s"] = time_fn(permute_fn)

    up = (2 if gated else 1) * w
    W1 = [torch.randn(up, d, device=dev, dtype=bf) for _ in range(local)]
    W2 = [torch.randn(d, w, device=dev, dtype=bf) for _ in range(local)]
    X = [torch.randn(per_expert, d, device=dev, dtype=bf) for _ in range(local)]
    H = [torch.randn(per_expert, w, device=dev, dtype=bf) for _ in range(local)]
    dH1 = [torch.randn(per_expert, up, device=dev, dtype=bf) for _ in range(local)]
    dY = [torch.randn(per_expert, d, device=dev, dtype=bf) for _ in range(local)]

    def experts_loop():
        for e in range(local):  # fwd, dgrad, wgrad of both projections, one GEMM each
            X[e] @ W1[e].t(); H[e] @ W2[e].t()
            dH1[e] @ W1[e]; dY[e] @ W2[e]
            dH1[e].t() @ X[e]; dY[e].t() @ H[e]
    s = time_fn(experts_loop)
    flops = 6.0 * local * per_expert * (up * d + d * w)
    out["experts_loop_s"] = s
    out["experts_loop_tflops"] = flops / s / 1e12
    # Host: the launches of the same loop, no waiting (the GPU runs behind).
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    experts_loop()
    out["experts_loop_host_s"] = time.perf_counter() - t0
    out["host_s_per_local_expert"] = out["experts_loop_host_s"] / local
    torch.cuda.synchronize()
    if hasattr(torch, "_grouped_mm"):
        try:
            Xs = torch.cat(X)
            Ws = torch.stack(W1).transpose(1, 2).contiguous()  # local x d x up
            offs = torch.arange(1, local + 1, device=dev, dtype=torch.int32) * per_expert
            s = time_fn(lambda: torch._grouped_mm(Xs, Ws, offs=offs))
            out["grouped_fc1_fwd_s"] = s
            out["grouped_fc1_fwd_tflops"] = 2.0 * local * per_expert * up * d / s / 1e12
        except Exception as e:  # keep the rest
            out["grouped_error"] = repr(e)
    del X, H, dH1, dY, W1, W2
    return out


def a2a_case(label, d, k, T, world):
    """Dispatch (BF16 rows) + combine all-to-all of T*k copies, (world-1)/world off-GPU."""
    rows = T * k
    send = torch.randn(rows, d, device=dev, dtype=torch.bfloat16)
    recv = torch.empty_like(send)
    import torch.distributed as dist

    def step():
        dist.all_to_all_single(recv, send)
        dist.all_to_all_single(send, recv)
    # A fixed number of calls on every rank (a time-based warm-up would let ranks
    # disagree on how many collectives to run).
    for _ in range(5):
        step()
    torch.cuda.synchronize(); dist.barrier()
    a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    a.record()
    for _ in range(20):
        step()
    b.record(); b.synchronize()
    s = a.elapsed_time(b) / 1e3 / 20
    moved = 2.0 * rows * d * 2 * (world - 1) / world
    return {"label": label, "d": d, "top_k": k, "tokens": T, "world": world, "dispatch_combine_s": s,
            "bytes_per_s_per_gpu": moved / s}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "moe_timing.json"
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        import torch.distributed as dist
        dist.init_process_group("nccl")
    rank = int(os.environ.get("RANK", "0"))
    props = torch.cuda.get_device_properties(dev)
    res = {"schema": "traincost.moe_measurement.v1", "device_name": props.name, "torch": torch.__version__,
           "cuda": torch.version.cuda, "date_utc": time.strftime("%Y-%m-%d", time.gmtime()), "host": platform.node(),
           "world_size": world, "cases": [], "all_to_all": []}
    if rank == 0:
        for c in CASES:
            r = case(*c)
            res["cases"].append(r)
            print(json.dumps(r), flush=True)
    if world > 1:
        for label, d, w, gated, E, k, T, ep in CASES[:3]:
            r = a2a_case(label, d, k, T, world)
            if rank == 0:
                res["all_to_all"].append(r)
                print(json.dumps(r), flush=True)
        import torch.distributed as dist
        dist.destroy_process_group()
    if rank == 0:
        with open(path, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
