"""One-to-one Hungarian matching and the DETR losses (sigmoid focal + L1 + GIoU), per decoder layer."""

import numpy as np
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

ALPHA, GAMMA = 0.25, 2.0
# The label of a light whose state is not known (a teacher's pseudo label, finetune_deim.py pseudo): it matches
# and is trained as the class its query currently scores highest, so it teaches "a light", never a state.
ANY_STATE = -1
# A query whose box overlaps an `ignore` box of its image this much is neither a positive nor a negative.
IGNORE_IOU = 0.5


def _class_probs(p, labels):
    """p [Q, C] probabilities, labels [n] (ANY_STATE allowed) -> [Q, n]: each label's column, or the best one."""
    cols = p[:, labels.clamp(min=0)]
    unknown = labels == ANY_STATE
    if unknown.any():
        cols[:, unknown] = p.max(-1, keepdim=True).values.expand(-1, int(unknown.sum()))
    return cols


def cxcywh_to_xyxy(b):
    cx, cy, w, h = b.unbind(-1)
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1)


def box_area(b):
    return (b[..., 2] - b[..., 0]).clamp(min=0) * (b[..., 3] - b[..., 1]).clamp(min=0)


def pairwise_giou(a, b):
    """a [N, 4], b [M, 4] xyxy -> (iou [N, M], giou [N, M])."""
    area_a, area_b = box_area(a), box_area(b)
    lt = torch.max(a[:, None, :2], b[None, :, :2])
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    union = area_a[:, None] + area_b[None, :] - inter
    iou = inter / union.clamp(min=1e-9)
    lt2 = torch.min(a[:, None, :2], b[None, :, :2])
    rb2 = torch.max(a[:, None, 2:], b[None, :, 2:])
    hull = (rb2 - lt2).clamp(min=0).prod(-1)
    return iou, iou - (hull - union) / hull.clamp(min=1e-9)


def elementwise_giou(a, b):
    """a, b [N, 4] xyxy -> giou [N]."""
    lt = torch.max(a[:, :2], b[:, :2])
    rb = torch.min(a[:, 2:], b[:, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    union = box_area(a) + box_area(b) - inter
    iou = inter / union.clamp(min=1e-9)
    lt2 = torch.min(a[:, :2], b[:, :2])
    rb2 = torch.max(a[:, 2:], b[:, 2:])
    hull = (rb2 - lt2).clamp(min=0).prod(-1)
    return iou - (hull - union) / hull.clamp(min=1e-9)


def sigmoid_focal_loss(logits, targets):
    p = logits.sigmoid()
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** GAMMA
    return (ALPHA * targets + (1 - ALPHA) * (1 - targets)) * loss


@torch.no_grad()
def hungarian_match(logits, boxes, targets, w_cls=2.0, w_l1=5.0, w_giou=2.0):
    """logits [B, Q, C], boxes [B, Q, 4]; targets: list of dicts with 'labels' [n], 'boxes' [n, 4] (cxcywh).

    Returns a list of (query indices, target indices) LongTensors, one per image.
    """
    out = []
    p = logits.sigmoid()
    for b, t in enumerate(targets):
        if len(t["labels"]) == 0:
            out.append((torch.empty(0, dtype=torch.long), torch.empty(0, dtype=torch.long)))
            continue
        pb = _class_probs(p[b], t["labels"])  # [Q, n]
        neg = (1 - ALPHA) * pb ** GAMMA * -(1 - pb + 1e-8).log()
        pos = ALPHA * (1 - pb) ** GAMMA * -(pb + 1e-8).log()
        c_cls = pos - neg
        c_l1 = torch.cdist(boxes[b], t["boxes"], p=1)
        _, giou = pairwise_giou(cxcywh_to_xyxy(boxes[b]), cxcywh_to_xyxy(t["boxes"]))
        cost = (w_cls * c_cls + w_l1 * c_l1 - w_giou * giou).numpy()
        qi, ti = linear_sum_assignment(np.nan_to_num(cost, nan=1e6))
        out.append((torch.as_tensor(qi, dtype=torch.long), torch.as_tensor(ti, dtype=torch.long)))
    return out


def ignored_queries(boxes, targets, indices, iou=IGNORE_IOU):
    """[B, Q] bool: the unmatched queries whose box (detached) overlaps one of the image's `ignore` boxes (cxcywh,
    optional key of a target) by IoU >= `iou`. Their classification loss is left out: what they found is neither a
    labelled light nor known background."""
    B, Q, _ = boxes.shape
    mask = torch.zeros(B, Q, dtype=torch.bool)
    for b, t in enumerate(targets):
        ign = t.get("ignore")
        if ign is None or not len(ign):
            continue
        ov, _ = pairwise_giou(cxcywh_to_xyxy(boxes[b].detach()), cxcywh_to_xyxy(ign))
        mask[b] = ov.max(1).values >= iou
        mask[b, indices[b][0]] = False
    return mask


def set_loss(logits, boxes, targets, indices, num_boxes, w_cls=2.0, w_l1=5.0, w_giou=2.0):
    """Focal loss over all queries (matched -> one-hot target, others -> zeros) + L1 + GIoU on matched ones.
    A target labelled ANY_STATE is trained as the class its matched query scores highest. Unmatched queries on a
    target's `ignore` boxes (ignored_queries) get no classification loss."""
    B, Q, C = logits.shape
    tcls = torch.zeros_like(logits)
    bi = torch.cat([torch.full_like(q, b) for b, (q, _) in enumerate(indices)])
    qi = torch.cat([q for q, _ in indices])
    labels = torch.cat([t["labels"][ti] for t, (_, ti) in zip(targets, indices)])
    tboxes = torch.cat([t["boxes"][ti] for t, (_, ti) in zip(targets, indices)])
    if len(qi):
        unknown = labels == ANY_STATE
        if unknown.any():  # a pseudo-labelled light: its query's best class now is the one trained up
            labels = torch.where(unknown, logits.detach()[bi, qi].argmax(-1), labels)
        tcls[bi, qi, labels] = 1.0
    focal = sigmoid_focal_loss(logits, tcls)
    if any(t.get("ignore") is not None and len(t["ignore"]) for t in targets):
        focal = focal * (~ignored_queries(boxes, targets, indices)).unsqueeze(-1).to(focal.dtype)
    l_cls = focal.sum() / num_boxes
    if len(qi):
        pb = boxes[bi, qi]
        l_l1 = F.l1_loss(pb, tboxes, reduction="sum") / num_boxes
        l_giou = (1 - elementwise_giou(cxcywh_to_xyxy(pb), cxcywh_to_xyxy(tboxes))).sum() / num_boxes
    else:
        l_l1 = l_giou = boxes.sum() * 0
    return {"cls": w_cls * l_cls, "l1": w_l1 * l_l1, "giou": w_giou * l_giou}


def make_denoising(model, targets, groups=2, box_noise=0.4, label_noise=0.25, max_queries=60, generator=None):
    """DN-DETR style positive denoising queries.

    Returns (dn tuple for the model or None, dn_meta): queries are `groups` copies of each image's GT (padded to
    the batch max); content = label embedding of a possibly flipped label, reference = jittered GT box.
    """
    B = len(targets)
    n_max = max(len(t["labels"]) for t in targets)
    if n_max == 0:
        return None, None
    groups = max(1, min(groups, max_queries // n_max))
    D = groups * n_max
    labels = torch.zeros(B, D, dtype=torch.long)
    boxes = torch.full((B, D, 4), 0.5)
    valid = torch.zeros(B, D, dtype=torch.bool)
    gt_index = torch.zeros(B, D, dtype=torch.long)
    for b, t in enumerate(targets):
        n = len(t["labels"])
        for g in range(groups):
            s = g * n_max
            labels[b, s:s + n] = t["labels"]
            boxes[b, s:s + n] = t["boxes"]
            valid[b, s:s + n] = True
            gt_index[b, s:s + n] = torch.arange(n)
    true_labels, true_boxes = labels.clone(), boxes.clone()
    flip = torch.rand(B, D, generator=generator) < label_noise
    labels = torch.where(flip, torch.randint(0, model.C, (B, D), generator=generator), labels)
    wh = boxes[..., 2:]
    jitter = (torch.rand(B, D, 4, generator=generator) * 2 - 1) * box_noise
    cxcy = boxes[..., :2] + jitter[..., :2] * wh / 2
    nwh = wh * (1 + jitter[..., 2:])
    noised = torch.cat([cxcy, nwh], -1).clamp(1e-4, 1 - 1e-4)
    content = model.label_embed(labels)
    # self-attention mask over [D dn queries | Q matching queries]: True = blocked
    T = D + model.Q
    mask = torch.zeros(T, T, dtype=torch.bool)
    mask[D:, :D] = True  # matching queries must not see the denoising ones
    for g in range(groups):
        s, e = g * n_max, (g + 1) * n_max
        mask[s:e, :D] = True
        mask[s:e, s:e] = False  # each group sees itself (and the matching queries)
    meta = {"labels": true_labels, "boxes": true_boxes, "valid": valid, "groups": groups}
    return (content, noised, mask), meta


def dn_loss(logits, boxes, meta, num_boxes, w_cls=2.0, w_l1=5.0, w_giou=2.0):
    valid = meta["valid"]
    tcls = torch.zeros_like(logits)
    tcls[valid] = F.one_hot(meta["labels"][valid], logits.shape[-1]).float()
    fl = sigmoid_focal_loss(logits, tcls)[valid].sum()
    nb = num_boxes * meta["groups"]
    pb, tb = boxes[valid], meta["boxes"][valid]
    l1 = F.l1_loss(pb, tb, reduction="sum")
    giou = (1 - elementwise_giou(cxcywh_to_xyxy(pb), cxcywh_to_xyxy(tb))).sum()
    return {"cls": w_cls * fl / nb, "l1": w_l1 * l1 / nb, "giou": w_giou * giou / nb}


def total_loss(out, targets, dn_meta=None):
    """Sum of the set losses of every decoder layer and of the encoder proposals (+ denoising)."""
    num_boxes = max(1.0, float(sum(len(t["labels"]) for t in targets)))
    parts = {}
    L = out["logits"].shape[0]
    for l in range(L):
        idx = hungarian_match(out["logits"][l].detach(), out["boxes"][l].detach(), targets)
        for k, v in set_loss(out["logits"][l], out["boxes"][l], targets, idx, num_boxes).items():
            parts[f"d{l}_{k}"] = v
    idx = hungarian_match(out["enc_logits"].detach(), out["enc_boxes"].detach(), targets)
    for k, v in set_loss(out["enc_logits"], out["enc_boxes"], targets, idx, num_boxes).items():
        parts[f"enc_{k}"] = v
    if dn_meta is not None and "dn_logits" in out:
        for l in range(L):
            for k, v in dn_loss(out["dn_logits"][l], out["dn_boxes"][l], dn_meta, num_boxes).items():
                parts[f"dn{l}_{k}"] = v
    total = sum(parts.values())
    return total, {k: float(v) for k, v in parts.items()}
