"""The playground's distillation losses (src/core/distill/ of the playground = the official MGD code).

  none   : CE
  kd     : CE + kdW * T^2 * KL(softmax(t/T) || softmax(s/T))            (Hinton)
  mimic  : CE + alpha * sum_{c,h,w} (align(S) - T)^2 / N                  (feature mimicking)
  mgd    : CE + alpha * sum_{c,h,w} (G(align(S) * M) - T)^2 / N           (MGD, Yang et al. 2022)
  mgd+kd : CE + alpha * MGD + kdW * KD
  at     : CE + atBeta * sum_stages mean_{N,H,W} (a(S) - a(T))^2, a(F) = normalise(mean_c F^2)   (Zagoruyko & Komodakis)
  rkd    : CE + rkdDist * Huber(d_S/mu_S, d_T/mu_T) + rkdAngle * Huber(cos_S, cos_T), pooled   (Park et al.)
  wsld   : CE + wsldW * T^2 * mean_i w_i * H(p_t^T, p_s^T), w_i = 1 - exp(-CE_S/CE_T), detached (Zhou et al.)
  srrl   : CE + mean_{N,C}(pool(c(S_last)) - pool(T))^2 + srrlW * mean_{N,K}(head_T(pool(c(S_last))) - z_T)^2,
           c = 1x1 conv + BN + ReLU, head_T the teacher's frozen classifier (Yang et al., ICLR 2021)
  ofd    : CE + ofdW * sum_i 2^(i+1-n) * sum pL2(c_i(S_pre_i), max(T_pre_i, m_i)) / N, over the n hooked
           stages before their last ReLU; c_i = 1x1 conv + BN, m_i from the teacher BN (Heo et al., ICCV 2019)

Feature terms are a SUM over C*H*W divided by the batch size N (not a mean), so alpha scales
with 1/(C*H*W). M: pixel mask rand(N,1,H,W) > 1-lambda -> 0, or channel mask
rand(N,C,1,1) < lambda -> 0, never rescaled. align is a 1x1 conv (with bias) that exists only
when student and teacher widths differ; G is `convs` k x k convs (bias, ReLU between) at the
teacher width. For none and kd an align conv, when widths differ, is still fitted as a probe on
the detached student feature so that `difference` = sum (align(S) - T)^2 / N reads the feature
gap; the probe's loss is added to what is minimised but not to the reported loss.

Every term is returned as a sum over this process's samples divided by the GLOBAL batch size
`n_global`, so under torchrun the terms of all processes add up to the single-process values.
RKD is the exception: it relates the samples of a batch to each other, so under torchrun each
process relates its own share only (weighted by its share of the batch); one process is exact.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from models import BatchNorm, SameConv

METHODS = ("none", "kd", "mimic", "mgd", "mgd+kd", "at", "rkd", "wsld", "srrl", "ofd")


def uses_features(method):
    return method in ("mimic", "mgd", "mgd+kd")


def uses_mgd(method):
    return method in ("mgd", "mgd+kd")


def uses_kd(method):
    return method in ("kd", "mgd+kd")


def uses_pre_relu(method):
    return method == "ofd"


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


def attention_map(f):
    """AT's map of f [n, C, H, W]: mean_c f^2 (p = 2), flattened, L2-normalised per sample -> [n, H*W]."""
    return F.normalize(f.float().pow(2).mean(1).flatten(1))


def at_loss(s, t, n_global):
    """sum over samples of mean_{H,W} (a(S) - a(T))^2 / N: the engine's mean over N*H*W."""
    return (attention_map(s) - attention_map(t)).pow(2).mean(1).sum() / n_global


def normalised_distances(e):
    """Pairwise Euclidean distances of e [n, C] (squared ones clamped at 1e-12, diagonal 0) / their off-diagonal mean."""
    n = len(e)
    sq = e.pow(2).sum(1)
    d = (sq.unsqueeze(1) + sq.unsqueeze(0) - 2 * e @ e.t()).clamp(min=1e-12).sqrt() * (1 - torch.eye(n, device=e.device))
    return d / (d.sum() / (n * (n - 1)))


def triplet_cosines(e):
    """cos of the angle (e_j - e_i, e_k - e_i) for every anchor i: [n, n, n]."""
    unit = F.normalize(e.unsqueeze(0) - e.unsqueeze(1), p=2, dim=2)
    return torch.bmm(unit, unit.transpose(1, 2))


def rkd_losses(s_pooled, t_pooled, n_global):
    """(distance, angle) smooth-L1 losses over this process's batch, weighted by its share n / N."""
    s, t = s_pooled.float(), t_pooled.float()
    if len(s) < 2:
        raise ValueError("rkd relates the embeddings of a batch to each other: it needs batch >= 2 per process")
    share = len(s) / n_global
    distance = F.smooth_l1_loss(normalised_distances(s), normalised_distances(t))
    angle = F.smooth_l1_loss(triplet_cosines(s), triplet_cosines(t))
    return distance * share, angle * share


def wsld_loss(s_logits, t_logits, labels, T, n_global):
    """T^2 * sum_i w_i * H(softmax(t_i/T), softmax(s_i/T)) / N; w_i from the detached hard-label CEs at T = 1."""
    s, t = s_logits.float(), t_logits.float()
    soft = -(F.softmax(t / T, dim=1) * F.log_softmax(s / T, dim=1)).sum(1)
    ratio = F.cross_entropy(s.detach(), labels, reduction="none") / (F.cross_entropy(t, labels, reduction="none") + 1e-7)
    weight = 1 - torch.exp(-ratio.clamp(min=0))
    return (weight * soft).sum() * (T * T) / n_global


def ofd_margin(bn):
    """OFD's margin per channel, as the authors' get_margin_from_BN (in float64): with s = |weight|,
    m = bias, E[x | x < 0] of N(m, s^2) where Phi(-m/s) > 0.001, else -3s. -> [C] float32."""
    out = []
    for s, m in zip(bn.weight.detach().abs().tolist(), bn.bias.detach().tolist()):
        s = max(s, 1e-12)  # a zero weight: the limit (m below 0, else 0) instead of a division by zero
        tail = 0.5 * math.erfc(m / s / math.sqrt(2))  # Phi(-m/s)
        out.append(m - s * math.exp(-((m / s) ** 2) / 2) / math.sqrt(2 * math.pi) / tail if tail > 0.001 else -3 * s)
    return torch.tensor(out, dtype=torch.float32)


def srrl_terms(connected, t_pooled, t_logits, teacher_head, n_global):
    """SRRL's (feature, logit) terms of a connected last stage [n, Ct, H, W]: sums over this process's
    samples / (N * C) and / (N * K), i.e. the engine's means over the global batch."""
    pooled = connected.float().mean((2, 3))
    feature = ((pooled - t_pooled.float()) ** 2).sum() / (n_global * pooled.shape[1])
    logits = ((teacher_head(pooled) - t_logits.float()) ** 2).sum() / (n_global * t_logits.shape[1])
    return feature, logits


def partial_l2(s, t, margin, n_global):
    """The authors' distillation_loss / N: sum (s - t')^2 where s > t' or t' > 0, t' = max(t, margin)."""
    target = torch.max(t.float(), margin.view(1, -1, 1, 1))
    gap = s.float() - target
    return torch.where(target > 0, gap ** 2, F.relu(gap) ** 2).sum() / n_global


class Connector(nn.Module):
    """OFD's and SRRL's connector: 1x1 conv (no bias) then BN, student width -> teacher width."""

    def __init__(self, cs, ct):
        super().__init__()
        self.conv = SameConv(cs, ct, 1, 1)
        self.bn = BatchNorm(ct)

    def forward(self, x):
        return self.bn(self.conv(x))


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

    def __init__(self, settings, widths, margins=(), last_widths=None):
        """widths: per hooked stage, (student channels, teacher channels); margins: OFD's, per hooked stage [Ct];
        last_widths: (student, teacher) channels of the last stage (SRRL's connector)."""
        super().__init__()
        self.settings = settings
        if settings["method"] == "srrl":
            self.srrl = Connector(*last_widths)
        self.ofds = nn.ModuleList([Connector(cs, ct) for cs, ct in widths] if uses_pre_relu(settings["method"]) else [])
        for i, m in enumerate(margins):
            self.register_buffer(f"margin{i}", m, persistent=False)  # derived from the frozen teacher, not state
        self.aligns = nn.ModuleDict({str(i): SameConv(cs, ct, 1, 1, bias=True) for i, (cs, ct) in enumerate(widths) if cs != ct})
        gen = settings["gen"]
        self.gens = nn.ModuleList(
            [Generator(ct, gen["convs"], gen["kernel"]) for _, ct in widths] if uses_mgd(settings["method"]) else []
        )

    def align(self, i, s):
        conv = self.aligns[str(i)] if str(i) in self.aligns else None
        return conv(s) if conv is not None else s

    def losses(self, s_logits, s_feats, s_pooled, t_logits, t_feats, t_pooled, labels, masks, n_global, pre=None, s_last=None, teacher_head=None):
        """Loss terms of one (local) batch. masks: per hooked stage [n,1,H,W] or [n,C,1,1] (mgd), else unused.
        s_pooled, t_pooled: the penultimate features (last stage, globally average-pooled) [n, C_last].
        pre: (student, teacher) hooked stages before their last ReLU (ofd), else None.
        s_last, teacher_head: the student's last stage [n, C_last, H, W] and the teacher's frozen classifier (srrl).

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
        if method == "at":
            feature = sum(at_loss(s, t, n_global) for s, t in zip(s_feats, t_feats))
            distill = feature * st["atBeta"]
        elif method == "rkd":
            distance, angle = rkd_losses(s_pooled, t_pooled, n_global)
            feature, distill = distance + angle, distance * st["rkdDist"] + angle * st["rkdAngle"]
        elif method == "wsld":
            feature = wsld_loss(s_logits, t_logits, labels, st["wsldT"], n_global)
            distill = feature * st["wsldW"]
        elif method == "srrl":
            feature, logits = srrl_terms(F.relu(self.srrl(s_last)), t_pooled, t_logits, teacher_head, n_global)
            distill = feature + logits * st["srrlW"]
        elif method == "ofd":
            s_pre, t_pre = pre
            n = len(s_pre)
            feature = sum(
                partial_l2(self.ofds[i](s), t, getattr(self, f"margin{i}"), n_global) / 2 ** (n - i - 1)
                for i, (s, t) in enumerate(zip(s_pre, t_pre)))
            distill = feature * st["ofdW"]
        else:
            distill = feature * st["alpha"]
            if uses_kd(method):
                distill = distill + kd_loss(s_logits, t_logits, st["kdT"], n_global) * st["kdW"]
        return {"total": task + distill + probe, "task": task, "distill": distill, "feature": feature, "difference": difference}


def draw_mask_torch(kind, n, c, h, w, lam, generator, device):
    """A fresh MGD mask from torch's RNG (the default, non-replay mode): [n,1,h,w] or [n,c,1,1]."""
    if kind == "pixel":
        return (torch.rand(n, 1, h, w, generator=generator) <= 1 - lam).float().to(device)
    return (torch.rand(n, c, 1, 1, generator=generator) >= lam).float().to(device)
