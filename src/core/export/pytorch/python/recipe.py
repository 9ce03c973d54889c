"""The playground's training recipe (src/core/optim/ of the playground): the learning rate of every
step and the optimiser, with the engine's numbers.

    constant : lr
    cosine   : floor*lr + (lr - floor*lr) * (1 + cos(pi * t)) / 2,  t = (s - W - 1) / (steps - W)
    step     : lr * gamma ** ((s - W - 1) // every)
after a linear warm-up over the first W steps (lr * s / W at step s <= W).

adam is torch.optim.AdamW (weight decay decoupled: w *= 1 - lr * wd before the Adam step; with
wd 0 it is Adam) with tfjs's betas and eps; sgd is torch.optim.SGD with momentum, dampening 0,
not Nesterov, and L2 weight decay on the gradient. Weight decay reaches every trainable parameter
(student and heads, batch-norm scales and biases too), as in the playground.
"""
import math

import torch


def lr_at(cfg, step, steps):
    """The learning rate of 1-based step `step` of a run of `steps` steps."""
    lr, warmup = cfg["lr"], cfg["warmup"]
    if step <= warmup:
        return lr * step / warmup
    after = step - warmup - 1  # steps taken since the warm-up ended
    kind = cfg["lrSchedule"]
    if kind == "constant":
        return lr
    if kind == "cosine":
        low = cfg["lrFloor"] * lr
        return low + 0.5 * (lr - low) * (1 + math.cos(math.pi * after / (steps - warmup)))
    if kind == "step":
        return lr * cfg["lrGamma"] ** (after // cfg["lrEvery"])
    raise SystemExit(f"recipe.py: unknown lrSchedule {kind!r}")


def make_optimizer(cfg, params):
    if cfg["optimizer"] == "sgd":
        return torch.optim.SGD(params, lr=cfg["lr"], momentum=cfg["momentum"], dampening=0, weight_decay=cfg["wd"], nesterov=False)
    return torch.optim.AdamW(params, lr=cfg["lr"], betas=(0.9, 0.999), eps=1e-7, weight_decay=cfg["wd"])  # tfjs Adam's defaults


def set_lr(opt, lr):
    for group in opt.param_groups:
        group["lr"] = lr
