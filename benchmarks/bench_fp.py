"""Per-step cost of each Fokker–Planck-chapter regularizer over a plain DSM step, same model and batch.

Prints, for each regularizer, the mean wall time of one training step (forward, loss, backward,
optimizer step; the median over interleaved rounds) and its ratio over plain DSM, measured in one run (ratios only; no timing is
asserted anywhere). Usage:

    python benchmarks/bench_fp.py [--device cpu|cuda] [--size 14] [--batch 32] [--channels 8] [--points 8] [--every 6] [--reps 8] [--rounds 3]

The defaults are the chapter's MNIST setting at the cpu profile (14x14 images, batch 32, U-Net base 8,
FP on 8 collocation points with Lai et al.'s finite-difference time derivative). The FP step is timed
as Lai et al. compute it (one probe, ||r||^2), with the unbiased two-probe estimator, with the jvp time
derivative, on the whole batch and on a collocation subset, and amortized by evaluating it on every
k-th step only, either scaled by k (so that the time-averaged objective is unchanged) or with the
evaluated step's parameter gradient held and added on the steps between (`amortize="hold"`), and from network
evaluations alone (`FPForwardRegularizer`: central differences along Rademacher probes, one batched
forward call and an ordinary backward pass), every step or held like the FP variant above. The line marked
"<= 2x" is the cheapest FP variant whose ratio over plain DSM is at most 2 in this run.
"""
from __future__ import annotations

import argparse
import statistics
import time

import torch

from sparsediff.core import VPSDE
from sparsediff.fp import DivergenceRegularizer, FPForwardRegularizer, FPRegularizer, JacobianRegularizer, ScoreNormRegularizer, step_seconds
from sparsediff.nets import UNet


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def step_time(model, opt, x0, sde, regs, reps, device, gen):
    "Mean seconds of one full training step with the given regularizers, over whole `every` periods (sparsediff.fp.step_seconds)."
    return step_seconds(model, x0, sde, regs, steps=reps, warmup=2, optimizer=opt, generator=gen)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu")
    p.add_argument("--size", type=int, default=14, help="image side (1 channel; 14: the cpu profile)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--channels", type=int, default=8, help="U-Net base channels")
    p.add_argument("--points", type=int, default=8, help="FP collocation points per batch")
    p.add_argument("--every", type=int, default=6, help="FP amortized: evaluated on every k-th step")
    p.add_argument("--reps", type=int, default=8, help="timed steps per configuration (raised to a multiple of 2k, whole periods of every amortized variant)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds over all configurations (the median is reported)")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    device = torch.device(a.device)
    torch.manual_seed(a.seed)
    sde = VPSDE()
    model = UNet(in_ch=1, base=a.channels).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    x0 = torch.rand(a.batch, 1, a.size, a.size, device=device) * 2 - 1
    gen = torch.Generator(device).manual_seed(a.seed)
    k, m = a.every, a.points
    fp = lambda **kw: [(0.15, FPRegularizer(sde, probe="rademacher", generator=gen, **{"dt": "fd", "unbiased": False, **kw}))]
    configs = {
        "plain DSM": None,
        "score-norm": [(1e-2, ScoreNormRegularizer(sde))],
        "divergence (two probes, unbiased)": [(1e-2, DivergenceRegularizer(sde, generator=gen))],
        "Jacobian (Hutchinson)": [(1e-2, JacobianRegularizer(sde, generator=gen))],
        "FP, Lai et al. (fd, 1 probe), all points": fp(),
        "FP, jvp, all points": fp(dt="jvp"),
        "FP, fd, 2 probes (unbiased), all points": fp(unbiased=True),
        f"FP, fd, {m} points (chapter, every step)": fp(n_points=m),
        f"FP, jvp, {m} points": fp(dt="jvp", n_points=m),
        f"FP, fd, {m} points, every {k}": fp(n_points=m, every=k),
        f"FP, fd, {m} points, every {k}, held (chapter)": fp(n_points=m, every=k, amortize="hold"),
        f"FP, fd, {m} points, every {k // 2}, held": fp(n_points=m, every=max(k // 2, 1), amortize="hold"),
        f"FP, fd, {m} points, every {2 * k}, held": fp(n_points=m, every=2 * k, amortize="hold"),
        f"FP, fd, all points, every {k}": fp(every=k),
        f"FP, fd, 2 probes, {m} points, every {k}": fp(n_points=m, every=k, unbiased=True),
        f"FP, forward passes only, {m} points": [(0.15, FPForwardRegularizer(sde, n_points=m, generator=gen))],
        f"FP, forward passes only, {m // 2} points": [(0.15, FPForwardRegularizer(sde, n_points=max(m // 2, 1), generator=gen))],
        f"FP, forward passes only, {m // 4} points": [(0.15, FPForwardRegularizer(sde, n_points=max(m // 4, 1), generator=gen))],
        f"FP, forward passes only, {m} points, every {k}, held": [(0.15, FPForwardRegularizer(sde, n_points=m, every=k, amortize="hold", generator=gen))],
    }
    a.reps = max(a.reps, 4 * k)  # every k-th and 2k-th step: the mean over whole periods
    a.reps -= a.reps % (2 * k)
    print(f"device={device} image=1x{a.size}x{a.size} batch={a.batch} U-Net base={a.channels} reps={a.reps} rounds={a.rounds} "
          f"torch={torch.__version__} threads={torch.get_num_threads()}")
    times = {name: [] for name in configs}
    for _ in range(a.rounds):  # interleaved rounds: a slow spell of the machine hits every configuration alike
        for name, regs in configs.items():
            times[name].append(step_time(model, opt, x0, sde, regs, a.reps, device, gen))
    base = statistics.median(times["plain DSM"])
    ratios = {}
    for name, ts in times.items():
        s = statistics.median(ts)
        ratios[name] = s / base
        spread = f"{min(ts) / base:.2f}-{max(ts) / base:.2f}x"
        print(f"{name:48s} {1e3 * s:9.1f} ms/step   {s / base:5.2f}x plain DSM   (rounds {spread})")
    ok = [n for n in ratios if n.startswith("FP") and ratios[n] <= 2]
    print("FP variants at <= 2x plain DSM in this run: " + (", ".join(f"{n} ({ratios[n]:.2f}x)" for n in ok) or "none"))
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
