"""Trains the exported playground run in PyTorch, on one process or many (torchrun).

    python train.py [--replay] [--steps N] [--device cpu|cuda] [--data-dir DIR] [--metrics FILE]
                    [--amp] [--out DIR] [--threads N] [--test-limit N] [--all-data]
    torchrun --nproc_per_node=<GPUs> train.py [same flags]

Starts from the engine's initial state for the run's seed (weights/*.safetensors) and trains with
its recipe (recipe.py: lr schedule, optimiser, weight decay). --replay uses
the engine's own data order and MGD masks (replay.py regenerates them), so the losses follow the
playground's step for step; without it, batches come from a DistributedSampler and masks from
torch's RNG (seeded with the run's seed). Under torchrun every process takes its share of the
playground's batch (the GLOBAL batch stays config.batch), batch-norm statistics are taken over the
global batch, gradients are averaged by DistributedDataParallel, and only rank 0 logs, evaluates
and saves. --metrics FILE gets one JSON object per step with the runner's --json history names.
"""
import argparse
import json
import os
import sys
import time
from collections import deque

import torch
import torch.distributed as dist

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from data import DataFilesMissing, Split  # noqa: E402
from losses import DistillHeads, draw_mask_torch, ofd_margin, uses_mgd, uses_pre_relu  # noqa: E402
from models import Net, stage_shapes  # noqa: E402
from recipe import lr_at, make_optimizer, set_lr  # noqa: E402
from replay import ReplayMasks, ReplayOrder  # noqa: E402
from tensors import load_file, save_file  # noqa: E402

TRAIN_ACC_WINDOW = 50
EVAL_BATCH = 500


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--replay", action="store_true", help="the engine's data order and masks (step-for-step parity)")
    p.add_argument("--steps", type=int, default=None, help="override config.steps")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--data-dir", default=os.path.join(HERE, "data"), help="a folder in the playground's public/data format")
    p.add_argument("--metrics", default=None, help="JSONL file: one object per step")
    p.add_argument("--amp", action="store_true", help="automatic mixed precision (float16 autocast, GPUs only)")
    p.add_argument("--out", default=os.path.join(HERE, "checkpoints"), help="where rank 0 saves the student")
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads per process")
    p.add_argument("--test-limit", type=int, default=None, help="final evaluation on the first N test images only (quick checks)")
    p.add_argument("--all-data", action="store_true", help="train on the whole train split instead of the run's subset (not with --replay)")
    return p.parse_args()


class Dist:
    """This process's place: rank, world size, device; a single process when not under torchrun."""

    def __init__(self, device):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        if device == "cuda" and not torch.cuda.is_available():
            # A safe state rather than a crash: the same run on the CPU, said once (rank 0).
            if self.rank == 0:
                print("train.py: --device cuda but torch sees no CUDA device; training on cpu", file=sys.stderr, flush=True)
            device = "cpu"
        if device == "cuda":
            torch.cuda.set_device(local)
            self.device = torch.device("cuda", local)
        else:
            self.device = torch.device("cpu")
        if self.world > 1:  # NCCL between GPUs, gloo between CPU processes
            dist.init_process_group("nccl" if device == "cuda" else "gloo")

    def share(self, n):
        """[start, end) of this rank's rows of a global batch of n."""
        base, extra = divmod(n, self.world)
        start = self.rank * base + min(self.rank, extra)
        return start, start + base + (1 if self.rank < extra else 0)

    def sum(self, t):
        if self.world > 1:
            dist.all_reduce(t)
        return t


class Pair(torch.nn.Module):
    """Student + distillation heads: the trainable part, wrapped in DistributedDataParallel."""

    def __init__(self, student, heads, stages):
        super().__init__()
        self.student, self.heads, self.stages = student, heads, stages

    def forward(self, x, labels, t_logits, t_feats, t_pooled, masks, n_global, t_pre=None, teacher_head=None):
        """t_pre: the teacher's hooked stages before their last ReLU, when the method reads them (ofd);
        teacher_head: the teacher's frozen classifier (srrl backpropagates through it into its connector)."""
        logits, feats, *s_pre = self.student(x, with_pre=t_pre is not None)
        pre = ([s_pre[0][i] for i in self.stages], t_pre) if t_pre is not None else None
        s_pooled = feats[-1].mean((2, 3))  # the penultimate feature, as the head reads it
        terms = self.heads.losses(
            logits, [feats[i] for i in self.stages], s_pooled, t_logits, t_feats, t_pooled, labels, masks, n_global, pre, feats[-1], teacher_head)
        terms["correct"] = (logits.argmax(1) == labels).sum().float()
        return terms


def load_into(module, path):
    tensors, _ = load_file(path)
    missing, unexpected = module.load_state_dict(tensors, strict=False)
    if missing or unexpected:
        raise SystemExit(f"train.py: {path} does not fit the model (missing {missing}, unexpected {unexpected})")


@torch.no_grad()
def evaluate(student, test, limit, device):
    student.eval()
    n = min(limit, test.count)
    correct = 0
    for start in range(0, n, EVAL_BATCH):
        end = min(start + EVAL_BATCH, n)
        logits, _ = student(test.images[start:end].to(device))
        correct += (logits.argmax(1).cpu() == test.labels[start:end]).sum().item()
    student.train()
    return correct / n


class DefaultBatches:
    """Non-replay batches: a DistributedSampler over the train (sub)set; this rank's share of each global batch."""

    def __init__(self, indices, batch, d, seed):
        from torch.utils.data import DistributedSampler
        if batch % d.world:
            raise SystemExit(f"train.py: the playground's batch {batch} is not divisible by {d.world} processes")
        self.indices = indices
        self.sampler = DistributedSampler(indices, num_replicas=d.world, rank=d.rank, shuffle=True, seed=seed, drop_last=True)
        self.per_rank = batch // d.world
        self.epoch, self.it = -1, iter(())

    def next(self):
        rows = []
        while len(rows) < self.per_rank:
            try:
                rows.append(self.indices[next(self.it)])
            except StopIteration:
                if rows:
                    break  # batches do not straddle epochs, as in the engine
                self.epoch += 1
                self.sampler.set_epoch(self.epoch)
                self.it = iter(list(self.sampler))
        return rows


def main():
    args = parse_args()
    with open(os.path.join(HERE, "config.json")) as f:
        project = json.load(f)
    cfg, res = project["config"], project["resolved"]
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.replay and args.all_data:
        raise SystemExit("train.py: --all-data cannot replay (the engine trained on the run's subset)")
    d = Dist(args.device)
    steps = args.steps if args.steps is not None else cfg["steps"]
    stages = res["stages"]
    torch.manual_seed(cfg["seed"])

    try:
        train = Split(args.data_dir, cfg["dataset"], "train", res["mean"], res["std"])
        test = Split(args.data_dir, cfg["dataset"], "test", res["mean"], res["std"]) if d.rank == 0 else None
    except DataFilesMissing as e:
        raise SystemExit(f"train.py: {e}")

    opts = dict(in_channels=res["inChannels"], classes=res["classes"])
    teacher = Net(res["teacher"], **opts).to(d.device)
    student = Net(res["student"], **opts)
    t_shapes, s_shapes = stage_shapes(res["teacher"], res["inputSize"]), stage_shapes(res["student"], res["inputSize"])
    load_into(teacher, os.path.join(HERE, "weights", "teacher.safetensors"))
    with_pre = uses_pre_relu(cfg["method"])
    margins = [ofd_margin(teacher.pre_relu_bn(i)) for i in stages] if with_pre else []
    heads = DistillHeads(cfg, [(s_shapes[i][0], t_shapes[i][0]) for i in stages], margins, (s_shapes[-1][0], t_shapes[-1][0]))
    load_into(student, os.path.join(HERE, "weights", "student_init.safetensors"))
    load_into(heads, os.path.join(HERE, "weights", "heads_init.safetensors"))
    teacher.eval()
    teacher.requires_grad_(False)  # frozen: SRRL's gradient passes through its classifier, into nothing of it
    pair = Pair(student, heads, stages).to(d.device)
    model = pair
    if d.world > 1:
        from torch.nn.parallel import DistributedDataParallel
        model = DistributedDataParallel(pair, device_ids=[d.device.index] if d.device.type == "cuda" else None)
    params = list(pair.parameters())
    opt = make_optimizer(cfg, params)  # the run's recipe: AdamW or SGD with momentum, weight decay
    amp = args.amp and d.device.type == "cuda"
    if args.amp and not amp and d.rank == 0:
        print("train.py: --amp needs --device cuda; training in float32", file=sys.stderr, flush=True)
    scaler = torch.cuda.amp.GradScaler(enabled=amp)

    subset = load_file(os.path.join(HERE, "weights", "replay.safetensors"))[0]["subset"].tolist()
    batch = cfg["batch"]
    mgd = uses_mgd(cfg["method"])
    if args.replay:
        order, masks = ReplayOrder(subset, cfg["seed"]), ReplayMasks(cfg["seed"])
        if mgd:  # the runner's alpha helper draws one mask per hooked stage on the first batch before step 1
            for i in stages:
                c, h, w = t_shapes[i]
                masks.draw(cfg["mask"], min(batch, len(subset)), c, h, w, cfg["lambda"])
    else:
        batches = DefaultBatches(list(range(train.count)) if args.all_data else subset, batch, d, cfg["seed"])
        gen = torch.Generator().manual_seed(cfg["seed"] * 1000 + d.rank)

    metrics = open(args.metrics, "w") if args.metrics and d.rank == 0 else None
    recent = deque(maxlen=TRAIN_ACC_WINDOW)
    step_time = 0.0
    for step in range(1, steps + 1):
        t0 = time.perf_counter()
        if args.replay:
            rows = order.next_batch(batch)
            n_global = len(rows)
            lo, hi = d.share(n_global)
            mine = rows[lo:hi]
        else:
            mine = batches.next()
            n_global = d.sum(torch.tensor(float(len(mine)), device=d.device)).item()
        x = train.images[mine].to(d.device)
        y = train.labels[mine].to(d.device)
        step_masks = []
        if mgd:
            for i in stages:
                c, h, w = t_shapes[i]
                if args.replay:
                    m = masks.draw(cfg["mask"], n_global, c, h, w, cfg["lambda"])[lo:hi]
                else:
                    m = draw_mask_torch(cfg["mask"], len(mine), c, h, w, cfg["lambda"], gen, "cpu")
                step_masks.append(m.to(d.device))
        with torch.no_grad():
            t_logits, t_feats, *t_pre = teacher(x, with_pre=with_pre)
            t_pooled = t_feats[-1].mean((2, 3))
            t_feats = [t_feats[i] for i in stages]
            t_pre = [t_pre[0][i] for i in stages] if with_pre else None
        if amp:
            with torch.autocast(device_type="cuda", dtype=torch.float16):
                terms = model(x, y, t_logits, t_feats, t_pooled, step_masks, n_global, t_pre, teacher.head)
        else:
            terms = model(x, y, t_logits, t_feats, t_pooled, step_masks, n_global, t_pre, teacher.head)
        opt.zero_grad(set_to_none=True)
        set_lr(opt, lr_at(cfg, step, steps))  # the schedule spans this run's steps, as the engine's spans config.steps
        # DDP averages gradients over processes; the terms are already sums / global batch.
        scaler.scale(terms["total"] * d.world).backward()
        scaler.step(opt)
        scaler.update()
        keys = ("task", "distill", "feature", "difference", "correct")
        vals = d.sum(torch.stack([terms[k].detach().float() for k in keys])).cpu().tolist()
        task, distill, feature, difference, correct = vals
        recent.append(correct / n_global)
        step_time += time.perf_counter() - t0
        if d.rank != 0:
            continue
        m = {"step": step, "loss": task + distill, "taskLoss": task, "distillLoss": distill, "featureLoss": feature,
             "difference": difference, "batchAcc": correct / n_global, "trainAcc": sum(recent) / len(recent)}
        if step % cfg["eval"] == 0 and step < steps:
            m["testAcc"] = evaluate(pair.student, test, cfg["testSize"], d.device)
        if step == steps:
            m["testAcc"] = evaluate(pair.student, test, args.test_limit or test.count, d.device)
        if metrics:
            metrics.write(json.dumps(m) + "\n")
            metrics.flush()
        if step % 10 == 0 or step == steps or "testAcc" in m:
            acc = f" test {100 * m['testAcc']:.2f}%" if "testAcc" in m else ""
            print(f"step {step}/{steps} loss {m['loss']:.4f} task {task:.4f} distill {distill:.4f} diff {difference:.1f} "
                  f"train {100 * m['trainAcc']:.1f}%{acc}", flush=True)
    if d.rank == 0:
        os.makedirs(args.out, exist_ok=True)
        save_file(pair.student.state_dict(), os.path.join(args.out, "student.safetensors"), {"spec": res["student"], "steps": steps})
        save_file(pair.heads.state_dict(), os.path.join(args.out, "heads.safetensors"))
        print(f"done: {steps} steps, {steps / step_time:.2f} steps/s, student saved in {args.out}", flush=True)
        if metrics:
            metrics.close()
    if d.world > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
