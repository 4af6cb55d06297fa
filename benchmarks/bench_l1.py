"""Cost of the l1 chapter's penalties over plain DSM: one training step, and one reverse step of sampling.

Prints, for each reading of the ℓ1 penalty (on the score, on ε̂, on x̂₀ at r, on the weights at 1e-4), the wall time of one
training step (forward, loss, backward, optimizer step; the median over interleaved rounds) and its ratio over
plain DSM, measured in one run (ratios only; no timing is asserted anywhere). Sampling does not see the penalty:
the reverse step is the same network call whatever the training objective, so the per-sample cost is the step
count times one reverse step, which is printed for the model's batch. Usage:

    python benchmarks/bench_l1.py [--device cpu|cuda] [--size 8] [--batch 32] [--channels 8] [--reps 20] [--rounds 5]

The defaults are the chapter's image setting at the cpu profile (8x8 images, batch 32, U-Net base 8, r = 0.1).
"""
from __future__ import annotations

import argparse
import statistics
import time

import torch

from sparsediff.core import DDPMSchedule, ddpm_step
from sparsediff.l1 import l1_loss_fn
from sparsediff.nets import UNet


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def train_step_seconds(model, opt, x0, loss_fn, reps, device, gen):
    "Mean seconds of one full training step (loss, backward, optimizer step) over `reps` steps, after two untimed ones."
    for k in range(reps + 2):
        if k == 2:
            _sync(device); t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss_fn(model, x0, gen).backward()
        opt.step()
    _sync(device)
    return (time.perf_counter() - t0) / reps


@torch.no_grad()
def reverse_step_seconds(model, sched, shape, reps, device, gen):
    "Mean seconds of one ancestral reverse step (network call and update) on a batch of `shape`."
    x = torch.randn(shape, device=device, generator=gen)
    S = sched.respace(reps + 2)
    for i, k in enumerate(reversed(range(S.T))):
        if i == 2:
            _sync(device); t0 = time.perf_counter()
        eps = model(x, torch.full((shape[0],), S.model_time(k), device=device))
        x = ddpm_step(S, k, x, eps, noise=torch.randn(shape, device=device, generator=gen))
    _sync(device)
    return (time.perf_counter() - t0) / reps


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu")
    p.add_argument("--size", type=int, default=8, help="image side (1 channel; 8: the cpu profile)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--channels", type=int, default=8, help="U-Net base channels")
    p.add_argument("--r", type=float, default=0.1, help="ℓ1 strength of every reading")
    p.add_argument("--reps", type=int, default=20, help="timed steps per configuration and round")
    p.add_argument("--rounds", type=int, default=5, help="interleaved rounds over all configurations (the median is reported)")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    device = torch.device(a.device)
    torch.manual_seed(a.seed)
    sched = DDPMSchedule.from_name("linear", 1000)
    model = UNet(in_ch=1, base=a.channels).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    x0 = torch.rand(a.batch, 1, a.size, a.size, device=device) * 2 - 1
    gen = torch.Generator(device).manual_seed(a.seed)
    configs = {"plain DSM": l1_loss_fn(sched, 0.0)}
    configs.update({f"ℓ1 on {on}, r={a.r:g}": l1_loss_fn(sched, a.r, on=on) for on in ("score", "eps", "x0")})
    configs["ℓ1 on the weights, r=1e-4"] = l1_loss_fn(sched, 1e-4, on="weights")   # the chapter's weight ablation
    print(f"device={device} image=1x{a.size}x{a.size} batch={a.batch} U-Net base={a.channels} reps={a.reps} rounds={a.rounds} "
          f"torch={torch.__version__} threads={torch.get_num_threads()}")
    times = {name: [] for name in configs}
    rev = []
    for _ in range(a.rounds):  # interleaved rounds: a slow spell of the machine hits every configuration alike
        for name, fn in configs.items():
            times[name].append(train_step_seconds(model, opt, x0, fn, a.reps, device, gen))
        rev.append(reverse_step_seconds(model, sched, x0.shape, a.reps, device, gen))
    base = statistics.median(times["plain DSM"])
    for name, ts in times.items():
        s = statistics.median(ts)
        print(f"{name:28s} {1e3 * s:8.2f} ms/training step   {s / base:5.2f}x plain DSM   (rounds {min(ts) / base:.2f}-{max(ts) / base:.2f}x)")
    r = statistics.median(rev)
    print(f"one reverse step (any objective): {1e3 * r:.2f} ms per batch of {a.batch}; a sample at T steps costs T x {1e3 * r / a.batch:.3f} ms; "
          f"T=20 against T=50: {20 / 50:.2f}x")


if __name__ == "__main__":
    main()
