"""The playground's seeded randomness, bit for bit (src/core/random.ts and src/core/data/loader.ts),
so `--replay` regenerates exactly the engine's batches and MGD masks for any number of steps.

Rng is sfc32 seeded through splitmix32; uniform() = next_uint32 / 2^32 (exact in a double).
Epoch e of the data order is a Fisher-Yates shuffle of the train subset by
Rng.derive(seed, EPOCH_STREAM + e); batches never straddle epochs (the last one may be smaller).
Masks come from Rng.derive(seed, 3), one uniform per mask element in NHWC order, which is the
same flat order as NCHW [N,1,H,W] (pixel) and [N,C,1,1] (channel).
"""
import torch

M32 = 0xFFFFFFFF
EPOCH_STREAM = 0x0E90C000
MASK_STREAM = 3


def _imul(a, b):
    return (a * b) & M32


class Rng:
    def __init__(self, seed):
        s = seed & M32
        state = []
        for _ in range(4):
            s = (s + 0x9E3779B9) & M32
            z = _imul(s ^ (s >> 16), 0x85EBCA6B)
            z = _imul(z ^ (z >> 13), 0xC2B2AE35)
            state.append((z ^ (z >> 16)) & M32)
        self.a, self.b, self.c, self.d = state
        for _ in range(12):
            self.next_uint32()

    @staticmethod
    def derive(seed, stream):
        return Rng((_imul(seed & M32, 0x27D4EB2D) ^ _imul((stream + 1) & M32, 0x165667B1)) & M32)

    def next_uint32(self):
        t = (self.a + self.b + self.d) & M32
        self.d = (self.d + 1) & M32
        self.a = self.b ^ (self.b >> 9)
        self.b = (self.c + (self.c << 3)) & M32
        self.c = ((self.c << 21) | (self.c >> 11)) & M32
        self.c = (self.c + t) & M32
        return t

    def uniform(self):
        return self.next_uint32() / 4294967296.0

    def uniforms(self, n):
        return [self.next_uint32() / 4294967296.0 for _ in range(n)]

    def shuffle(self, arr):
        for i in range(len(arr) - 1, 0, -1):
            j = int(self.uniform() * (i + 1))
            arr[i], arr[j] = arr[j], arr[i]
        return arr


class ReplayOrder:
    """The engine's sampler: global batches of dataset indices, epoch by epoch."""

    def __init__(self, subset, seed):
        self.subset = [int(i) for i in subset]  # ascending
        self.seed = seed
        self.epoch = -1
        self.order, self.pos = [], 0

    def next_batch(self, size):
        if self.pos >= len(self.order):
            self.epoch += 1
            self.order = Rng.derive(self.seed, EPOCH_STREAM + self.epoch).shuffle(list(self.subset))
            self.pos = 0
        end = min(self.pos + size, len(self.order))
        batch = self.order[self.pos:end]
        self.pos = end
        return batch


class ReplayMasks:
    """The engine's MGD masks, drawn in its order (per step, per hooked stage)."""

    def __init__(self, seed):
        self.rng = Rng.derive(seed, MASK_STREAM)

    def draw(self, kind, n, c, h, w, lam):
        if kind == "pixel":
            v = [0.0 if u > 1 - lam else 1.0 for u in self.rng.uniforms(n * h * w)]
            return torch.tensor(v, dtype=torch.float32).view(n, 1, h, w)
        v = [0.0 if u < lam else 1.0 for u in self.rng.uniforms(n * c)]
        return torch.tensor(v, dtype=torch.float32).view(n, c, 1, 1)
