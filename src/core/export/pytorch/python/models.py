"""The playground's architectures in PyTorch, layer for layer (src/core/models/ of the playground).

A spec string `family:w1-w2-...xB` (or `xB1-B2-...`) gives stage widths and blocks per stage:
a 3x3 stem at full resolution, one stage per width (stride 2 at the first block of every stage
after the first), global average pooling and a linear head. Convolutions use TensorFlow's 'same'
padding (on even sizes a stride-2 conv pads one more row/column at the bottom/right than at the
top/left, unlike PyTorch's symmetric padding) and have no bias (a batch norm follows).
Batch norm: eps 1e-5, momentum 0.1, normalised with the biased batch variance while the running
variance moves towards the unbiased one (var * m / (m - 1)), as PyTorch's BatchNorm2d and the
playground do, with statistics over the global batch when run under torchrun (synchronised across
processes).
Parameter names match the state dicts in weights/*.safetensors.
"""
import math
import re

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

BN_EPS = 1e-5
BN_MOMENTUM = 0.1


def parse_spec(text):
    """'resnet:16-32-64x1' -> ('resnet', [16, 32, 64], [1, 1, 1])."""
    m = re.fullmatch(r"([a-z]+):(\d+(?:-\d+)*)x(\d+(?:-\d+)*)", text.strip())
    if not m or m.group(1) not in ("resnet", "mobilenet"):
        raise ValueError(f'"{text}" is not an architecture spec like resnet:16-32-64x1')
    widths = [int(w) for w in m.group(2).split("-")]
    blocks = [int(b) for b in m.group(3).split("-")]
    if len(blocks) == 1:
        blocks = blocks * len(widths)
    if len(blocks) != len(widths):
        raise ValueError(f"{len(blocks)} block counts for {len(widths)} stages")
    return m.group(1), widths, blocks


def same_pad(x, k, stride):
    """TensorFlow 'same' padding of x [N, C, H, W] for a k x k conv: out = ceil(in / stride)."""
    def split(size):
        total = max((math.ceil(size / stride) - 1) * stride + k - size, 0)
        return total // 2, total - total // 2
    top, bottom = split(x.shape[2])
    left, right = split(x.shape[3])
    return F.pad(x, (left, right, top, bottom))


class SameConv(nn.Conv2d):
    """Conv2d with TensorFlow 'same' padding; weight [Cout, Cin/groups, k, k]."""

    def __init__(self, cin, cout, k, stride=1, groups=1, bias=False):
        super().__init__(cin, cout, k, stride=stride, groups=groups, bias=bias)
        self.k = k

    def forward(self, x):
        if self.stride[0] == 1:  # odd k, stride 1: symmetric, PyTorch's own padding is exact
            return F.conv2d(x, self.weight, self.bias, 1, self.k // 2, 1, self.groups)
        return F.conv2d(same_pad(x, self.k, self.stride[0]), self.weight, self.bias, self.stride, 0, 1, self.groups)


def _all_reduce_sum(t):
    """Sum over processes with a gradient (torch.distributed.nn), identity in a single process."""
    if dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
        from torch.distributed.nn.functional import all_reduce
        return all_reduce(t)
    return t


class BatchNorm(nn.Module):
    """Batch norm over N, H, W of x [N, C, H, W], as the playground's (see the module doc)."""

    def __init__(self, c):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.register_buffer("running_mean", torch.zeros(c))
        self.register_buffer("running_var", torch.ones(c))

    def forward(self, x):
        dtype = x.dtype
        x = x.float()  # statistics in float32 under autocast too
        if not self.training:
            mean, var = self.running_mean, self.running_var
        else:
            # Two passes over the global batch: the mean, then the biased variance around it.
            count = torch.tensor(float(x.shape[0] * x.shape[2] * x.shape[3]), device=x.device)
            stats = _all_reduce_sum(torch.cat([x.sum((0, 2, 3)), count.view(1)]))
            m = stats[-1]
            mean = stats[:-1] / m
            var = _all_reduce_sum(((x - mean.view(1, -1, 1, 1)) ** 2).sum((0, 2, 3))) / m
            with torch.no_grad():
                self.running_mean.mul_(1 - BN_MOMENTUM).add_(mean.detach() * BN_MOMENTUM)
                self.running_var.mul_(1 - BN_MOMENTUM).add_(var.detach() * (m / (m - 1).clamp(min=1)) * BN_MOMENTUM)
        scale = self.weight * torch.rsqrt(var + BN_EPS)
        y = (x - mean.view(1, -1, 1, 1)) * scale.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)
        return y.to(dtype)


class ResnetBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN + (identity, or 1x1-conv-BN when the stride or width changes), ReLU.

    pre(x) is the value before the last ReLU; OFD takes its margin from bn2 alone (last_bn), as
    its authors do for a basic block.
    """

    last_bn = "bn2"

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = SameConv(cin, cout, 3, stride)
        self.bn1 = BatchNorm(cout)
        self.conv2 = SameConv(cout, cout, 3, 1)
        self.bn2 = BatchNorm(cout)
        self.has_down = stride != 1 or cin != cout
        if self.has_down:
            self.down = SameConv(cin, cout, 1, stride)
            self.downbn = BatchNorm(cout)

    def pre(self, x):
        h = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return h + (self.downbn(self.down(x)) if self.has_down else x)

    def forward(self, x):
        return F.relu(self.pre(x))


class MobilenetBlock(nn.Module):
    """MobileNet-v1 depthwise-separable block: dw3x3-BN-ReLU, then pw1x1-BN-ReLU."""

    last_bn = "pwbn"

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.dw = SameConv(cin, cin, 3, stride, groups=cin)
        self.dwbn = BatchNorm(cin)
        self.pw = SameConv(cin, cout, 1, 1)
        self.pwbn = BatchNorm(cout)

    def pre(self, x):
        return self.pwbn(self.pw(F.relu(self.dwbn(self.dw(x)))))

    def forward(self, x):
        return F.relu(self.pre(x))


BLOCKS = {"resnet": ResnetBlock, "mobilenet": MobilenetBlock}


class Net(nn.Module):
    """x [N, Cin, S, S] -> (logits [N, classes], per-stage features [N, C_s, H_s, W_s]); with
    with_pre=True also each stage's output before its last ReLU (features = relu of it), for OFD."""

    def __init__(self, spec, in_channels=1, classes=10):
        super().__init__()
        family, widths, blocks = parse_spec(spec)
        self.spec = spec
        self.widths = widths
        self.stem = nn.Sequential()
        self.stem.add_module("conv", SameConv(in_channels, widths[0], 3, 1))
        self.stem.add_module("bn", BatchNorm(widths[0]))
        cin = widths[0]
        stages = []
        for s, (w, b) in enumerate(zip(widths, blocks)):
            stage = []
            for i in range(b):
                stage.append(BLOCKS[family](cin, w, 2 if s > 0 and i == 0 else 1))
                cin = w
            stages.append(nn.Sequential(*stage))
        self.stages = nn.ModuleList(stages)
        self.head = nn.Linear(cin, classes)

    def forward(self, x, with_pre=False):
        h = F.relu(self.stem(x))
        features, pre = [], []
        for stage in self.stages:
            for block in stage:
                p = block.pre(h)
                h = F.relu(p)
            pre.append(p)
            features.append(h)
        logits = self.head(h.mean((2, 3)))
        return (logits, features, pre) if with_pre else (logits, features)

    def pre_relu_bn(self, s):
        """The BN before stage s's (0-based) last ReLU: OFD's margin reads its weight and bias."""
        block = self.stages[s][-1]
        return getattr(block, block.last_bn)


def stage_shapes(spec, input_size=28):
    """[C, H, W] of each stage's output for a square input ('same' padding)."""
    _, widths, _ = parse_spec(spec)
    out, s = [], input_size
    for i, w in enumerate(widths):
        if i > 0:
            s = math.ceil(s / 2)
        out.append((w, s, s))
    return out
