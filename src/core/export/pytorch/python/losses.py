"""The playground's distillation losses (src/core/distill/ of the playground = the official MGD code).

  none   : CE
  kd     : CE + kdW * T^2 * KL(softmax(t/T) || softmax(s/T))            (Hinton)
  mimic  : CE + alpha * sum_{c,h,w} (align(S) - T)^2 / N                  (feature mimicking)
  mgd    : CE + alpha * sum_{c,h,w} (G(align(S) * M) - T)^2 / N           (MGD, Yang et al. 2022)
  mgd+kd : CE + alpha * MGD + kdW * KD

Feature terms are a SUM over C*H*W divided by the batch size N (not a mean), so alpha scales
with 1/(C*H*W). M: pixel mask rand(N,1,H,W) > 1-lambda -> 0, or channel mask
rand(N,C,1,1) < lambda -> 0, never rescaled. align is a 1x1 conv (with bias) that exists only
when student and teacher widths differ; G is `convs` k x k convs (bias, ReLU between) at the
teacher width. For none and kd an align conv, when widths differ, is still fitted as a probe on
the detached student feature so that `difference` = sum (align(S) - T)^2 / N reads the feature
gap; the probe's loss is added to what is minimised but not to the reported loss.

Every term is returned as a sum over this process's samples divided by the GLOBAL batch size
`n_global`, so under torchrun the terms of all processes add up to the single-process values.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from models import SameConv

METHODS = ("none", "kd", "mimic", "mgd", "mgd+kd")


def uses_features(method):
    return method in ("mimic", "mgd", "mgd+kd")


def uses_mgd(method):
    return method in ("mgd", "mgd+kd")


def uses_kd(method):
    return method in ("kd", "mgd+kd")


def cross_entropy(logits, labels, n_global):
    """Softmax cross-entropy; logits [n, K], labels [n] int64."""
    return F.cross_entropy(logits.float(), labels, reduction="sum") / n_global


def kd_loss(student_logits, teacher_logits, T, n_global):
    """T^2 * KL(softmax(t/T) || softmax(s/T)) summed over the batch / N."""
    log_ps = F.log_softmax(student_logits.float() / T, dim=1)
    log_pt = F.log_softmax(teacher_logits.float() / T, dim=1)
    return (log_pt.exp() * (log_pt - log_ps)).sum() * (T * T) / n_global


def sum_squared(a, b, n_global):
    """sum_{c,h,w} (a - b)^2 / N over a, b [n, C, H, W]."""
    return ((a.float() - b.float()) ** 2).sum() / n_global


class Generator(nn.Sequential):
    """MGD generation block: `convs` k x k convs at width ct, ReLU between, G(x * mask)."""

    def __init__(self, ct, convs, kernel):
        super().__init__(*[SameConv(ct, ct, kernel, 1, bias=True) for _ in range(convs)])

    def forward(self, x, mask):
        h = x * mask
        for i, conv in enumerate(self):
            h = conv(h)
            if i < len(self) - 1:
                h = F.relu(h)
        return h


class DistillHeads(nn.Module):
    """Align convs (`aligns.<i>`, only where widths differ) and generators (`gens.<i>`) per hooked stage i."""

    def __init__(self, settings, widths):
        """widths: per hooked stage, (student channels, teacher channels)."""
        super().__init__()
        self.settings = settings
        self.aligns = nn.ModuleDict({str(i): SameConv(cs, ct, 1, 1, bias=True) for i, (cs, ct) in enumerate(widths) if cs != ct})
        gen = settings["gen"]
        self.gens = nn.ModuleList(
            [Generator(ct, gen["convs"], gen["kernel"]) for _, ct in widths] if uses_mgd(settings["method"]) else []
        )

    def align(self, i, s):
        conv = self.aligns[str(i)] if str(i) in self.aligns else None
        return conv(s) if conv is not None else s

    def losses(self, s_logits, s_feats, t_logits, t_feats, labels, masks, n_global):
        """Loss terms of one (local) batch. masks: per hooked stage [n,1,H,W] or [n,C,1,1] (mgd), else unused.

        Returns dict: total (what is minimised), task, distill, feature, difference.
        """
        st = self.settings
        method = st["method"]
        task = cross_entropy(s_logits, labels, n_global)
        zero = task.new_zeros(())
        feature, difference, probe = zero, zero, zero
        for i, (s, t) in enumerate(zip(s_feats, t_feats)):
            trains_student = uses_features(method)
            aligned = self.align(i, s if trains_student else s.detach())
            diff = sum_squared(aligned, t, n_global)
            if not trains_student and str(i) in self.aligns:
                probe = probe + diff
            difference = difference + diff
            if method == "mimic":
                feature = feature + diff
            if uses_mgd(method):
                feature = feature + sum_squared(self.gens[i](aligned, masks[i]), t, n_global)
        distill = feature * st["alpha"]
        if uses_kd(method):
            distill = distill + kd_loss(s_logits, t_logits, st["kdT"], n_global) * st["kdW"]
        return {"total": task + distill + probe, "task": task, "distill": distill, "feature": feature, "difference": difference}


def draw_mask_torch(kind, n, c, h, w, lam, generator, device):
    """A fresh MGD mask from torch's RNG (the default, non-replay mode): [n,1,h,w] or [n,c,1,1]."""
    if kind == "pixel":
        return (torch.rand(n, 1, h, w, generator=generator) <= 1 - lam).float().to(device)
    return (torch.rand(n, c, 1, 1, generator=generator) >= lam).float().to(device)
