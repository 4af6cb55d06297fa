"""Benchmarks of sparsediff.core (run: `python benchmarks/bench_core.py`; prints figures, asserts nothing).

1. Sampling-loop overhead: our DDPM (1000 steps and respaced to 50) and DDIM (50 steps) loops against a
   diffusers scheduler loop driving the same tiny model on the same inputs; ratio = ours / diffusers
   (target <= 1.0). Both loops call the model identically, so the ratio measures the loop and step code.
2. Training-step time with `fit` (AdamW + EMA + clipping): MLPDenoiser on 2-D data at batch 4096, and
   UNet(1, base=32) on 28x28 images at batch 128, on the CPU.
Timings are the best of `--repeats` runs (minimum wall time), measured in this one process.
"""
import argparse, platform, time
import torch
from diffusers import DDIMScheduler, DDPMScheduler
from sparsediff.core import DDPMSchedule, VPSDE, fit, sample_ddim, sample_ddpm
from sparsediff.nets import MLPDenoiser, UNet, n_params


def best_of(fn, repeats):
    "Minimum wall time of `repeats` calls of fn()."
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return min(times)


@torch.no_grad()
def diffusers_loop(model, x, scheduler, steps, eta=None, seed=0):
    "The usual diffusers sampling loop: set_timesteps, then model + scheduler.step per timestep."
    g = torch.Generator().manual_seed(seed)
    scheduler.set_timesteps(steps)
    T = scheduler.config.num_train_timesteps
    tt = torch.empty(x.shape[0])
    for t in scheduler.timesteps:
        out = model(x, tt.fill_((int(t) + 1) / T))
        kw = {"eta": eta} if eta is not None else {}
        x = scheduler.step(out, t, x, generator=g, **kw).prev_sample
    return x


def bench_sampling(batch, repeats):
    torch.manual_seed(0)
    model = MLPDenoiser(2, 64, 3).eval()
    sched = DDPMSchedule.from_name("linear", 1000)
    x_T = torch.randn(batch, 2, generator=torch.Generator().manual_seed(1))
    ddpm = DDPMScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=False)
    ddim = DDIMScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=False)
    cases = {
        "DDPM 1000 steps": (lambda: sample_ddpm(model, x_T, sched, generator=torch.Generator().manual_seed(0), progress=False),
                            lambda: diffusers_loop(model, x_T, ddpm, 1000)),
        "DDPM respaced 50": (lambda: sample_ddpm(model, x_T, sched, steps=50, spacing="leading", generator=torch.Generator().manual_seed(0), progress=False),
                             lambda: diffusers_loop(model, x_T, ddpm, 50)),
        "DDIM 50 steps (eta=0)": (lambda: sample_ddim(model, x_T, sched, steps=50, spacing="leading", progress=False),
                                  lambda: diffusers_loop(model, x_T, ddim, 50, eta=0.0)),
    }
    # the DDIM eta=0 loops are deterministic: check that both compute the same samples before timing them
    a, b = cases["DDIM 50 steps (eta=0)"][0](), cases["DDIM 50 steps (eta=0)"][1]()
    print(f"  DDIM eta=0: max |ours - diffusers| = {(a - b).abs().max().item():.2e}")
    rows = []
    for name, (ours, theirs) in cases.items():
        ours(); theirs()                                   # warm-up
        t_ours, t_theirs = best_of(ours, repeats), best_of(theirs, repeats)
        rows.append((name, t_ours, t_theirs, t_ours / t_theirs))
    return rows


def bench_training(repeats, mlp_steps, unet_steps):
    out = []
    sde = VPSDE()
    torch.manual_seed(0)
    data = torch.randn(100_000, 2)
    mlp = MLPDenoiser(2, 128, 3)
    fit(mlp, data, schedule=sde, steps=2, batch_size=4096, progress=False)   # warm-up
    t = best_of(lambda: fit(mlp, data, schedule=sde, steps=mlp_steps, batch_size=4096, progress=False), repeats) / mlp_steps
    out.append((f"MLPDenoiser(2, 128, 3), {n_params(mlp):,} params, batch 4096", t))
    imgs = torch.rand(512, 1, 28, 28) * 2 - 1
    unet = UNet(1, base=32)
    fit(unet, imgs, schedule=sde, steps=1, batch_size=128, progress=False)
    t = best_of(lambda: fit(unet, imgs, schedule=sde, steps=unet_steps, batch_size=128, progress=False), max(1, repeats - 1)) / unet_steps
    out.append((f"UNet(1, base=32), {n_params(unet):,} params, batch 128 of 28x28", t))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=256, help="sampling batch (2-D points)")
    p.add_argument("--repeats", type=int, default=3, help="timing repeats (best of)")
    p.add_argument("--mlp-steps", type=int, default=20, help="MLP training steps per timing")
    p.add_argument("--unet-steps", type=int, default=3, help="UNet training steps per timing")
    a = p.parse_args()
    print(f"sparsediff.core benchmarks: torch {torch.__version__}, {torch.get_num_threads()} thread(s), {platform.processor() or platform.machine()}")
    print(f"\n1. Sampling loops, MLPDenoiser(2, 64, 3), batch {a.batch}: ours vs diffusers (best of {a.repeats})")
    for name, t_o, t_d, r in bench_sampling(a.batch, a.repeats):
        print(f"  {name:24s} ours {t_o * 1e3:9.1f} ms   diffusers {t_d * 1e3:9.1f} ms   ratio {r:5.2f}  ({'ok' if r <= 1.0 else 'SLOWER'})")
    print(f"\n2. Training step time with fit (AdamW + EMA + clipping), CPU")
    for name, t in bench_training(a.repeats, a.mlp_steps, a.unet_steps):
        print(f"  {name:58s} {t * 1e3:9.1f} ms/step")


if __name__ == "__main__":
    main()
