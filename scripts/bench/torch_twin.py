"""PyTorch twin of `npm run bench`'s training-step workloads, on the exported project's models.py
and losses.py (src/core/export/pytorch/python). Batch 64, 28x28x1 input, Adam; the teacher is an
untrained resnet-t (weights do not change the cost, as in the engine bench).

    python3 scripts/bench/torch_twin.py --steps 20 --threads 1,16 [--workloads ce,mimic,mgd,mgd-live,xs-ce]

Prints one JSON object: {"torch": version, "rows": [{"workload", "threads", "stepsPerSec"}]}.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "src", "core", "export", "pytorch", "python"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from losses import DistillHeads, draw_mask_torch  # noqa: E402
from models import Net, stage_shapes  # noqa: E402

BATCH, WARMUP = 64, 3
# workload -> (method, teacher cached?); xs-ce is a plain CE step of resnet-xs without a teacher
WORKLOADS = {"ce": ("none", True), "mimic": ("mimic", True), "mgd": ("mgd", True), "mgd-live": ("mgd", False), "xs-ce": (None, None)}


def distill_step_fn(method, cached):
    torch.manual_seed(1)
    teacher, student = Net("resnet:16-32-64x2").eval(), Net("resnet:16-32-64x1")
    c, h, w = stage_shapes("resnet:16-32-64x2")[2]
    settings = {"method": method, "alpha": 5.6e-4, "lambda": 0.5, "mask": "pixel", "gen": {"convs": 2, "kernel": 3}, "kdT": 4, "kdW": 1}
    heads = DistillHeads(settings, [(64, 64)])
    opt = torch.optim.Adam(list(student.parameters()) + list(heads.parameters()), lr=1e-3, eps=1e-7)
    x, y = torch.randn(BATCH, 1, 28, 28), torch.randint(0, 10, (BATCH,))
    with torch.no_grad():
        cache = teacher(x)
    gen = torch.Generator().manual_seed(1)

    def step():
        if cached:
            t_logits, t_feats = cache
        else:
            with torch.no_grad():
                t_logits, t_feats = teacher(x)
        masks = [draw_mask_torch("pixel", BATCH, c, h, w, 0.5, gen, "cpu")] if method == "mgd" else []
        logits, feats = student(x)
        s_pooled, t_pooled = feats[-1].mean((2, 3)), t_feats[-1].mean((2, 3))  # read by rkd only; the engine pools anyway
        terms = heads.losses(logits, [feats[2]], s_pooled, t_logits, [t_feats[2]], t_pooled, y, masks, BATCH)
        opt.zero_grad(set_to_none=True)
        terms["total"].backward()
        opt.step()
    return step


def xs_ce_step_fn():
    torch.manual_seed(1)
    net = Net("resnet:8-16-32x1")
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    x, y = torch.randn(BATCH, 1, 28, 28), torch.randint(0, 10, (BATCH,))

    def step():
        logits, _ = net(x)
        loss = F.cross_entropy(logits, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return step


def time_steps(step, steps):
    for _ in range(WARMUP):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    return steps / (time.perf_counter() - t0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--threads", default=f"1,{os.cpu_count()}")
    p.add_argument("--workloads", default=",".join(WORKLOADS))
    a = p.parse_args()
    rows = []
    for threads in [int(t) for t in a.threads.split(",")]:
        torch.set_num_threads(threads)
        for wl in a.workloads.split(","):
            method, cached = WORKLOADS[wl]
            step = xs_ce_step_fn() if method is None else distill_step_fn(method, cached)
            rows.append({"workload": wl, "threads": threads, "stepsPerSec": time_steps(step, a.steps * (2 if wl == "xs-ce" else 1))})
    print(json.dumps({"torch": torch.__version__, "rows": rows}))


if __name__ == "__main__":
    main()
