"""Sparsity, regularization and structure in diffusion models.

The names a training script starts from are attributes of the package: the schedules, the loss and its
regularizers, the training loop, the samplers, the networks, the SCDM bottleneck, the diffusers adapters and
the verdict rule.
Each is imported from its module on first use, so `import sparsediff` itself loads nothing heavy.
"""
__version__ = "0.1.0"

import importlib

_API = {  # name -> the module that defines it
    "DDPMSchedule": "core", "VPSDE": "core", "as_vpsde": "core",
    "dsm_loss": "core", "DSMLoss": "core", "Regularizer": "core", "fit": "core",
    "sample_ddpm": "core", "sample_ddim": "core", "sample_euler_maruyama": "core", "sample_pf_ode": "core",
    "sample_sl": "core", "sl_denoiser": "core", "IntegerTimestepModel": "core", "soft_threshold": "core",
    "MLPDenoiser": "nets", "UNet": "nets",
    "L1OutputPenalty": "l1", "L1WeightPenalty": "l1",
    "FPRegularizer": "fp", "ScoreNormRegularizer": "fp", "DivergenceRegularizer": "fp", "JacobianRegularizer": "fp",
    "SCDMBottleneck": "scdm", "SCDMDenoiser": "scdm", "SCDMConv2d": "scdm", "insert_bottleneck": "scdm",
    "DiffusersModel": "interop", "AsDiffusersModel": "interop", "schedule_from_diffusers": "interop",
    "to_diffusers": "interop", "penalties": "interop", "math_attention": "interop",
    "save_pretrained": "interop", "from_pretrained": "interop",
    "decide": "report",
}
__all__ = list(_API)


def __getattr__(name):
    "A name of the API, imported from its module on first use."
    if name not in _API:
        raise AttributeError(f"module 'sparsediff' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_API))
