"""Train a diffusers UNet2DModel on Fashion-MNIST with sparsediff's ℓ1 score penalty and held Fokker–Planck
regularizer in a plain diffusers training loop, save it with its schedule, and sample it with the library's
DDPM sampler and with diffusers' DDPMScheduler from the same noise: the two must agree.

    python examples/diffusers_fashion.py                 # 14×14, 600 steps: a few minutes on 2 CPU cores
    python examples/diffusers_fashion.py --tiny          # 8×8, a handful of steps: the test suite's run
"""
import argparse
import json
import sys
import tempfile
import time

import torch
from tqdm.auto import tqdm


def load_images(size: int, n: int) -> tuple[torch.Tensor, str]:
    "The first n Fashion-MNIST training images in model space ([−1, 1], size²); the digits stand-in, said so, without the files."
    from sparsediff.datasets import load_digits_substitute, load_fashion_mnist
    from sparsediff.lenet import to_model_space
    try:
        x, _ = load_fashion_mnist("train", as_float=True, download=False, progress=False)
        source = "Fashion-MNIST"
    except (FileNotFoundError, OSError, ValueError) as e:
        print(f"SKIPPED Fashion-MNIST: {e}. In its place: scikit-learn's 8×8 digits at 28² (sparsediff-get-data fetches the files)")
        x, _ = load_digits_substitute(as_float=True)
        source = "digits stand-in"
    return to_model_space(x[:n], size), source


def build_unet(size: int):
    "A small diffusers UNet2DModel (one attention layer in its mid-block, switched to the math kernel the FP penalty needs)."
    from diffusers import UNet2DModel
    from sparsediff.interop import math_attention
    unet = UNet2DModel(sample_size=size, in_channels=1, out_channels=1, block_out_channels=(32, 64), layers_per_block=1,
                       down_block_types=("DownBlock2D", "DownBlock2D"), up_block_types=("UpBlock2D", "UpBlock2D"),
                       norm_num_groups=8)
    math_attention(unet)
    return unet


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=14, help="image side (Fashion-MNIST resized)")
    ap.add_argument("--n-train", type=int, default=4000, help="training images")
    ap.add_argument("--steps", type=int, default=600, help="optimizer steps")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--l1", type=float, default=1e-3, help="λ of the ℓ1 penalty on the score (0: off)")
    ap.add_argument("--fp", type=float, default=1e-3, help="λ of the held Fokker–Planck penalty (0: off)")
    ap.add_argument("--fp-every", type=int, default=4, help="FP evaluated every k-th step, its gradient held in between")
    ap.add_argument("--sample-steps", type=int, default=50, help="reverse steps (leading spacing, as diffusers)")
    ap.add_argument("--n-samples", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=None, help="folder for the trained model (default: a temporary folder)")
    ap.add_argument("--tiny", action="store_true", help="8×8, 256 images, 12 steps, 10 reverse steps: a smoke run")
    a = ap.parse_args(argv)
    if a.tiny: a.size, a.n_train, a.steps, a.batch, a.sample_steps, a.n_samples, a.fp_every = 8, 256, 12, 16, 10, 8, 3

    from diffusers import DDPMScheduler
    from sparsediff.core import sample_ddpm
    from sparsediff.fp import FPRegularizer
    from sparsediff.interop import (DiffusersModel, from_pretrained, penalties, save_pretrained, schedule_from_diffusers,
                                    to_diffusers)
    from sparsediff.l1 import L1OutputPenalty

    torch.manual_seed(a.seed)
    x, source = load_images(a.size, a.n_train)
    scheduler = DDPMScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=False)
    schedule = schedule_from_diffusers(scheduler)                  # the library's view of the same β
    unet = build_unet(a.size)
    model = DiffusersModel(unet, scheduler.config.num_train_timesteps)
    regs = {}
    if a.l1 > 0: regs["l1_score"] = (a.l1, L1OutputPenalty(schedule, on="score"))
    if a.fp > 0:
        regs["fp_held"] = (a.fp, FPRegularizer(schedule, dt="fd", every=a.fp_every, amortize="hold", n_points=4,
                                               generator=torch.Generator().manual_seed(a.seed)))
    opt = torch.optim.AdamW(unet.parameters(), lr=a.lr)
    g = torch.Generator().manual_seed(a.seed)
    log, t0 = [], time.time()
    for step in tqdm(range(a.steps), desc="training", disable=a.tiny):
        x0 = x[torch.randint(0, len(x), (a.batch,), generator=g)]
        noise = torch.randn(x0.shape, generator=g)
        ts = torch.randint(0, scheduler.config.num_train_timesteps, (a.batch,), generator=g)
        noisy = scheduler.add_noise(x0, noise, ts)
        pred = unet(noisy, ts).sample
        mse = (pred - noise).pow(2).mean()                        # diffusers' own ε-loss
        reg, parts = penalties(model, noisy, ts, pred, regs)      # Σ λ R at the same points (one call per optimizer step)
        opt.zero_grad(set_to_none=True)
        (mse + reg).backward()
        opt.step()
        log.append({"dsm": mse.item(), **{k: v.item() for k, v in parts.items()}})
    secs = time.time() - t0
    first, last = log[0], {k: sum(r[k] for r in log[-10:]) / len(log[-10:]) for k in log[-1]}
    print(f"data: {source}, {len(x)} images at {a.size}²; {a.steps} steps of {a.batch} in {secs:.0f} s")
    print("loss parts, first step → mean of the last 10:", ", ".join(f"{k} {first[k]:.4g} → {last[k]:.4g}" for k in last))

    with tempfile.TemporaryDirectory() as tmp:
        folder = a.out or f"{tmp}/model"
        save_pretrained(model, folder, schedule, parameterization="eps", overwrite=True,
                        manifest={"script": "examples/diffusers_fashion.py", "args": vars(a), "data": source,
                                  "train_seconds": round(secs, 1), "last_losses": last})
        loaded = from_pretrained(folder, schedule=schedule)       # a different schedule would be refused by name
        net = loaded.model.eval()
        shape = (a.n_samples, 1, a.size, a.size)
        with torch.no_grad():
            g1 = torch.Generator().manual_seed(a.seed + 1)
            ours = sample_ddpm(net, shape, loaded.schedule, steps=a.sample_steps, spacing="leading", clip=1.0,
                               generator=g1, progress=False)
            g2 = torch.Generator().manual_seed(a.seed + 1)
            hf = to_diffusers(loaded.schedule, loaded.parameterization, clip_sample=True)   # diffusers' sampler, same β
            hf.set_timesteps(a.sample_steps)
            xs = torch.randn(shape, generator=g2)
            for t in hf.timesteps:
                xs = hf.step(net.unet(xs, t).sample, t, xs, generator=g2).prev_sample
    diff = (ours - xs).abs().max().item()
    print(f"samples: {a.n_samples}, {a.sample_steps} reverse steps; library sampler vs diffusers' DDPMScheduler: "
          f"max |Δ| = {diff:.2e} (pixel range [−1, 1])")
    print(f"pixel mean/sd: samples {ours.mean():.3f}/{ours.std():.3f}, data {x.mean():.3f}/{x.std():.3f}")
    print(json.dumps({"max_abs_diff": diff, "steps": a.steps, "data": source}))
    return 0 if diff < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
