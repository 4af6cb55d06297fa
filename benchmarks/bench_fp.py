"""Per-step cost of each Fokker–Planck-chapter regularizer over a plain DSM step, same model and batch.

Prints, for each regularizer, the mean wall time of one training step (forward, loss, backward,
optimizer step) and its ratio over plain DSM, measured in one run (ratios only; no timing is
asserted anywhere). Usage:

    python benchmarks/bench_fp.py [--device cpu|cuda] [--size 28] [--batch 64] [--channels 32] [--reps 10]

Targets from the issue: FP with the jvp time derivative <= 1.6x plain DSM; score-norm <= 1.05x;
Hutchinson divergence and Jacobian <= 1.5x. The FP variants are also timed with a collocation
subset (n_points) and with Lai et al.'s finite-difference time derivative.
"""
from __future__ import annotations

import argparse
import statistics
import time

import torch

from sparsediff.core import VPSDE, dsm_loss
from sparsediff.fp import DivergenceRegularizer, FPRegularizer, JacobianRegularizer, ScoreNormRegularizer
from sparsediff.nets import UNet


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def step_time(model, opt, x0, sde, regs, reps, device, gen):
    "Mean seconds of one full training step with the given regularizers (mean, so that `every` is amortized)."
    times = []
    for k in range(reps + 2):
        _sync(device)
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss, _ = dsm_loss(model, x0, sde, regularizers=regs, generator=gen)
        loss.backward()
        opt.step()
        _sync(device)
        if k >= 2:  # two warm-up steps
            times.append(time.perf_counter() - t0)
    return statistics.fmean(times)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu")
    p.add_argument("--size", type=int, default=28, help="image side (1 channel)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--channels", type=int, default=32, help="U-Net base channels")
    p.add_argument("--reps", type=int, default=8, help="timed steps per configuration (a multiple of 4)")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    device = torch.device(a.device)
    torch.manual_seed(a.seed)
    sde = VPSDE()
    model = UNet(in_ch=1, base=a.channels).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    x0 = torch.rand(a.batch, 1, a.size, a.size, device=device) * 2 - 1
    gen = torch.Generator(device).manual_seed(a.seed)
    configs = {
        "plain DSM": None,
        "score-norm": [(1e-2, ScoreNormRegularizer(sde))],
        "divergence (Hutchinson)": [(1e-2, DivergenceRegularizer(sde, generator=gen))],
        "Jacobian (Hutchinson)": [(1e-2, JacobianRegularizer(sde, generator=gen))],
        "FP, jvp ∂t": [(0.15, FPRegularizer(sde, dt="jvp", generator=gen))],
        "FP, fd ∂t (Lai et al.)": [(0.15, FPRegularizer(sde, dt="fd", generator=gen))],
        f"FP, jvp ∂t, n_points={a.batch // 4}": [(0.15, FPRegularizer(sde, dt="jvp", n_points=a.batch // 4, generator=gen))],
        "FP, jvp ∂t + scalar": [(0.15, FPRegularizer(sde, dt="jvp", scalar_weight=0.01 / 0.15, generator=gen))],
        "FP, jvp ∂t, every=4": [(0.15, FPRegularizer(sde, dt="jvp", every=4, generator=gen))],
        f"FP, fd ∂t, n_points={a.batch // 4}, every=4": [(0.15, FPRegularizer(sde, dt="fd", n_points=a.batch // 4, every=4,
                                                                               generator=gen))],
    }
    print(f"device={device} image=1x{a.size}x{a.size} batch={a.batch} U-Net base={a.channels} reps={a.reps} "
          f"torch={torch.__version__} threads={torch.get_num_threads()}")
    base = None
    for name, regs in configs.items():
        s = step_time(model, opt, x0, sde, regs, a.reps, device, gen)
        base = base or s
        print(f"{name:42s} {1e3 * s:9.1f} ms/step   {s / base:5.2f}x plain DSM")
    print("\nwhere the FP step goes (median ms, cumulative, one batch):")
    for dt in ("jvp", "fd"):
        print(f"  ∂t by {dt}: " + ", ".join(f"{k} {1e3 * v:.0f}" for k, v in fp_phases(model, x0, sde, dt, a.reps, device).items()))


def fp_phases(model, x0, sde, dt, reps, device):
    "Cumulative median times of the FP residual's phases: s and ∂t s, + Hutchinson VJP, + ∇ₓφ, + final backward."
    from sparsediff.fp import _flat_sum, divergence, model_score, score_time_derivative
    score = model_score(model, sde)
    t = torch.rand(x0.shape[0], device=device) * 0.99 + 0.01
    res = {k: [] for k in ("plain forward", "s & ∂t s", "+ VJP (∇·s)", "+ ∇ₓφ", "+ backward")}
    for k in range(reps + 1):
        _sync(device); t0 = time.perf_counter()
        with torch.no_grad():
            model(x0, t)
        _sync(device); res["plain forward"].append(time.perf_counter() - t0)
        _sync(device); t0 = time.perf_counter()
        x = x0.clone().requires_grad_(True)
        s, ds = score_time_derivative(score, x, t, dt)
        _sync(device); res["s & ∂t s"].append(time.perf_counter() - t0)
        dv = divergence(s, x, "hutchinson", "rademacher")
        _sync(device); res["+ VJP (∇·s)"].append(time.perf_counter() - t0)
        phi = dv + _flat_sum(s * s) + _flat_sum(x * s)
        gphi = torch.autograd.grad(phi.sum(), x, create_graph=True)[0]
        _sync(device); res["+ ∇ₓφ"].append(time.perf_counter() - t0)
        ((ds - gphi) ** 2).sum().backward()
        model.zero_grad(set_to_none=True)
        _sync(device); res["+ backward"].append(time.perf_counter() - t0)
    return {k: statistics.median(v[1:]) for k, v in res.items()}


if __name__ == "__main__":
    main()
