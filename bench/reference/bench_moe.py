#!/usr/bin/env python3
"""PyTorch reference for moelab's MoE benchmark (bench/run.sh runs it beside JMH).

The same layer as moelab.bench.LayerCase, T = 4096 items of width d = 256, experts
f_e(x) = GELU(x W1_e + b1_e) W2_e + b2_e of hidden width h = 1024, gate W_g ~ N(0, 1/d),
Switch top-1 (weight = gate probability) or GShard top-2 (the two weights renormalised),
capacity ceil(k T cf / E) seated slot-major (all first choices, then all second choices, each in
token order), or no dropping (capacity = the batch's largest expert load). Each MoE style's
forward + backward (loss = sum of the output, the input requires a gradient) is timed against
this script's own dense FFN of the same active FLOPs (hidden k h), with torch.set_num_threads(2).

Styles:
  loop     per-expert loop: gather each expert's tokens, run it, index_add the weighted outputs;
  einsum   GShard: one-hot dispatch mask (T, E, C) and combine tensor, einsum in and out, bmm;
  sortbmm  sort assignments by expert, gather into padded buffers (E, C, d), bmm, gather back.

Usage: bench_moe.py OUT.csv [--quick]   (--quick: E = 8 only)
       bench_moe.py --check               (the three styles agree, on small random cases)
"""
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

T, D, H = 4096, 256, 1024
EXPERTS = [1, 4, 8, 16, 64]
THREADS = 2


def timed(fn, min_reps=3, max_reps=5, budget_s=1.5, slow_s=2.0):
    """Median milliseconds of fn() after one warm-up call (one timed call when the warm-up took
    over slow_s seconds: the per-expert loop at E = 64 would otherwise take minutes)."""
    t0 = time.perf_counter()
    fn()
    if time.perf_counter() - t0 > slow_s:
        min_reps = max_reps = 1
    times = []
    start = time.perf_counter()
    while len(times) < min_reps or (len(times) < max_reps and time.perf_counter() - start < budget_s):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def mlp(x, w1, b1, w2, b2):
    """GELU(x W1 + b1) W2 + b2: fused multiply-adds (addmm) for one MLP's weights, as moelab's
    GeluMlp does; batched matmul and add for stacked (E, d, h) weights."""
    if w1.dim() == 2:
        return F.linear(F.gelu(F.linear(x, w1.t(), b1.reshape(-1))), w2.t(), b2.reshape(-1))
    return torch.matmul(F.gelu(torch.matmul(x, w1) + b1), w2) + b2


class Weights:
    """Dense or expert weights drawn like moelab's: N(0, 1/fan_in), zero biases."""

    def __init__(self, experts, hidden):
        lead = (experts,) if experts else ()
        bias = (experts, 1) if experts else ()
        self.w1 = (torch.randn(*lead, D, hidden) / math.sqrt(D)).requires_grad_()
        self.b1 = torch.zeros(*bias, hidden, requires_grad=True)
        self.w2 = (torch.randn(*lead, hidden, D) / math.sqrt(hidden)).requires_grad_()
        self.b2 = torch.zeros(*bias, D, requires_grad=True)
        self.gate = (torch.randn(D, max(experts, 1)) / math.sqrt(D)).requires_grad_()

    def per_expert(self):
        """The weights of each expert, as views made by one unbind per tensor (indexing the
        stacked tensor once per expert would make every backward step write a full-size
        gradient: 64 experts, 64 full copies)."""
        return list(zip(self.w1.unbind(0), self.b1.unbind(0), self.w2.unbind(0), self.b2.unbind(0)))


def route(x, w, k, cf):
    """Top-k gating with slot-major seats: expert (T, k), seat (T, k) (-1 dropped), weight (T, k), C."""
    experts = w.gate.shape[1]
    probs = torch.softmax(x @ w.gate, dim=1)                      # (T, E)
    top, expert = probs.topk(k, dim=1)                            # (T, k)
    weight = top / top.sum(1, keepdim=True) if k > 1 else top
    one_hot = F.one_hot(expert.t().reshape(-1), experts)          # (k T, E), slot-major
    seat_all = one_hot.cumsum(0) - 1                              # running count per expert
    seat = (seat_all * one_hot).sum(1).view(k, -1).t()            # (T, k)
    if cf > 0:
        capacity = min(max(1, math.ceil(k * x.shape[0] * cf / experts)), x.shape[0])
    else:
        capacity = int(seat.max().item()) + 1                     # dropless: largest load
    kept = seat < capacity
    return expert, torch.where(kept, seat, torch.full_like(seat, -1)), weight * kept, capacity


def moe_loop(x, w, k, cf):
    expert, seat, weight, _ = route(x, w, k, cf)
    y = torch.zeros_like(x)
    token = torch.arange(x.shape[0]).unsqueeze(1).expand(-1, k)
    weights = w.per_expert()
    for e in range(w.w1.shape[0]):
        mask = (expert == e) & (seat >= 0)
        if mask.any():
            t = token[mask]
            y.index_add_(0, t, weight[mask].unsqueeze(1) * mlp(x[t], *weights[e]))
    return y


def moe_einsum(x, w, k, cf):
    expert, seat, weight, capacity = route(x, w, k, cf)
    experts = w.w1.shape[0]
    kept = seat >= 0
    e_hot = F.one_hot(expert, experts).to(x.dtype)                               # (T, k, E)
    c_hot = F.one_hot(seat.clamp(min=0), capacity).to(x.dtype) * kept.unsqueeze(2)  # (T, k, C)
    dispatch = torch.einsum("tke,tkc->tec", e_hot, c_hot)                        # (T, E, C)
    combine = torch.einsum("tk,tke,tkc->tec", weight, e_hot, c_hot)              # (T, E, C)
    buffers = torch.einsum("tec,td->ecd", dispatch, x)                           # (E, C, d)
    out = mlp(buffers, w.w1, w.b1, w.w2, w.b2)                                   # (E, C, d)
    return torch.einsum("tec,ecd->td", combine, out)


def moe_sortbmm(x, w, k, cf):
    experts = w.w1.shape[0]
    probs = torch.softmax(x @ w.gate, dim=1)
    top, expert = probs.topk(k, dim=1)
    weight = top / top.sum(1, keepdim=True) if k > 1 else top
    n = x.shape[0] * k
    flat_expert = expert.t().reshape(-1)                          # (N), slot-major priority
    order = torch.argsort(flat_expert * n + torch.arange(n))      # sort by expert, then priority
    counts = torch.bincount(flat_expert, minlength=experts)
    offsets = counts.cumsum(0) - counts
    sorted_expert = flat_expert[order]
    seat_sorted = torch.arange(n) - offsets[sorted_expert]
    capacity = (min(max(1, math.ceil(n * cf / experts)), x.shape[0]) if cf > 0
                else int(counts.max().item()))
    kept = seat_sorted < capacity
    token = order % x.shape[0]
    slot = torch.full((experts * capacity,), x.shape[0], dtype=torch.long)
    slot[sorted_expert[kept] * capacity + seat_sorted[kept]] = token[kept]
    padded_x = torch.cat([x, x.new_zeros(1, D)])
    buffers = padded_x[slot].view(experts, capacity, D)           # (E, C, d)
    out = torch.bmm(F.gelu(torch.bmm(buffers, w.w1) + w.b1), w.w2) + w.b2
    row = torch.full((n,), experts * capacity, dtype=torch.long)  # per assignment, slot-major
    row[order[kept]] = sorted_expert[kept] * capacity + seat_sorted[kept]
    flat_out = torch.cat([out.reshape(-1, D), out.new_zeros(1, D)])
    gathered = flat_out[row].view(k, x.shape[0], D)               # (k, T, d)
    return (gathered * weight.t().unsqueeze(2)).sum(0)


STYLES = {"loop": moe_loop, "einsum": moe_einsum, "sortbmm": moe_sortbmm}


def forward_backward(layer, x):
    def run():
        x.grad = None
        layer(x).sum().backward()
    return run


def check():
    """The three styles compute the same outputs and input gradients (drops, empty experts)."""
    torch.manual_seed(5)
    for experts, k, cf, tokens in ((4, 1, 1.25, 64), (4, 2, 0.5, 64), (8, 1, 0, 5), (8, 2, 0, 64)):
        x = torch.randn(tokens, D, dtype=torch.float64, requires_grad=True)
        w = Weights(experts, 8)
        for p in (w.w1, w.b1, w.w2, w.b2, w.gate):
            p.data = p.data.double()
            if p is w.b1 or p is w.b2:
                p.data.normal_()
        results = []
        for style, fn in STYLES.items():
            x.grad = None
            y = fn(x, w, k, cf)
            (y * torch.arange(y.numel(), dtype=y.dtype).view_as(y).cos()).sum().backward()
            results.append((style, y.detach(), x.grad.clone()))
        for style, y, g in results[1:]:
            assert torch.allclose(y, results[0][1], atol=1e-10), f"{style} output, E={experts} k={k} cf={cf}"
            assert torch.allclose(g, results[0][2], atol=1e-10), f"{style} gradient, E={experts} k={k} cf={cf}"
    print("the loop, einsum and sortbmm styles agree (outputs and input gradients)")


def main():
    if sys.argv[1:] == ["--check"]:
        check()
        return
    out_path = sys.argv[1]
    quick = "--quick" in sys.argv
    torch.set_num_threads(THREADS)
    rows = []

    def record(section, case, style, experts, k, cf, ms, dense_ms):
        ratio = ms / dense_ms
        rows.append(f"{section},{case},{style},{experts},{k},{cf},{ms:.3f},{dense_ms:.3f},{ratio:.4f}")
        print(f"{section:8s} {case:28s} {style:8s} {ms:9.1f} ms  {ratio:6.2f}x dense", flush=True)

    dense_ms = {}
    for k in (1, 2):
        torch.manual_seed(13)
        x = torch.randn(T, D, requires_grad=True)
        w = Weights(0, k * H)
        dense_ms[k] = timed(forward_backward(lambda v: mlp(v, w.w1, w.b1, w.w2, w.b2), x))
        record("layer", f"dense-k{k}", "dense", 0, k, 0, dense_ms[k], dense_ms[k])
    for experts in ([8] if quick else EXPERTS):
        for k in (1, 2):
            if k > experts:
                continue
            for cf in (1.25, 0):
                torch.manual_seed(13)
                x = torch.randn(T, D, requires_grad=True)
                w = Weights(experts, H)
                name = f"moe-E{experts}-k{k}-{'cf1.25' if cf else 'dropless'}"
                for style, fn in STYLES.items():
                    ms = timed(forward_backward(lambda v: fn(v, w, k, cf), x))
                    record("layer", name, style, experts, k, cf, ms, dense_ms[k])
                if cf:
                    with torch.no_grad():
                        ms = timed(lambda: route(x, w, k, cf))
                        record("router", f"E{experts}-k{k}", "gshard-cumsum", experts, k, cf, ms,
                               dense_ms[k])
    with open(out_path, "w") as f:
        f.write("section,case,style,experts,k,cf,ms,dense_ms,ratio\n")
        f.write("\n".join(rows) + "\n")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(rows)} rows in {out_path}")


if __name__ == "__main__":
    main()
