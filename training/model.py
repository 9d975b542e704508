"""TinyDETR: a ~1M-parameter DETR-family traffic-light detector (RT-DETR style, plain attention).

- Backbone: small CNN, full-resolution colour stem (3x3 convs at stride 2 and 4 keep lamp colour and arrow
  detail), features C3 at stride 8 (40x40) and C4 at stride 16 (20x20).
- Encoder: one transformer layer over the stride-16 tokens (AIFI), then a top-down + bottom-up fusion (CCFM).
- Query selection: every stride-8/16 token predicts class logits and a box relative to its anchor; the top-Q
  tokens by best class logit become the decoder's queries (content = the token's encoder feature, reference box =
  its proposal), RT-DETR style.
- Decoder: 3 layers of self-attention, plain multi-head cross-attention over all 2000 tokens with a spatial
  Gaussian prior around each query's reference box (SMCA-style additive bias, learnable width per head), FFN;
  iterative box refinement (each layer refines the previous layer's box in logit space).
- Stride-4 detail (optional, `detail_points` P > 0): each decoder layer samples the stride-4 backbone features
  bilinearly at a P x P grid spanning 1.4x its reference box and adds a linear projection of them to the query
  (after cross-attention). Small lights (5-9 px) are about one stride-8 cell wide, so the stride-8/16 tokens alone
  cannot place their edges to the pixel; the projection is zero-initialised, so a model trained without it can be
  fine-tuned with it from exactly its old outputs.
- Single sigmoid class head over the joint states (no "no object" column).
- Training-only denoising queries (DN-DETR style: noised GT boxes and labels, masked from the matching queries).

Inputs: images float32 [N, 3, 320, 320] RGB in [0, 1]. Outputs: pred_logits [N, Q, C], pred_boxes [N, Q, 4]
(normalised cx, cy, w, h).
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def inverse_sigmoid(x, eps=1e-5):
    # torch.logit does not export with torch 1.13: spell it out.
    x = x.clamp(eps, 1 - eps)
    return torch.log(x / (1 - x))


class ConvBN(nn.Sequential):
    def __init__(self, cin, cout, k=3, s=1, groups=1, act=True):
        layers = [nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
        if act:
            layers.append(nn.ReLU(inplace=True))
        super().__init__(*layers)


class DWBlock(nn.Module):
    """Residual depthwise-separable block: dw3x3 -> pw -> dw3x3 -> pw (+ skip)."""

    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(ConvBN(c, c, 3, 1, groups=c, act=False), ConvBN(c, c, 1),
                                  ConvBN(c, c, 3, 1, groups=c, act=False), ConvBN(c, c, 1, act=False))

    def forward(self, x):
        return F.relu(x + self.body(x))


class Down(nn.Sequential):
    """Stride-2 depthwise 3x3 then pointwise channel change."""

    def __init__(self, cin, cout):
        super().__init__(ConvBN(cin, cin, 3, 2, groups=cin, act=False), ConvBN(cin, cout, 1))


class Backbone(nn.Module):
    def __init__(self, widths=(24, 32, 96, 160), blocks=(1, 2, 3)):
        super().__init__()
        c0, c1, c2, c3 = widths
        self.stem = ConvBN(3, c0, 3, 2)  # /2, full 3x3 convs up to stride 4: colour and arrow detail
        self.s4 = nn.Sequential(ConvBN(c0, c1, 3, 2), *[DWBlock(c1) for _ in range(blocks[0])])  # /4
        self.s8 = nn.Sequential(Down(c1, c2), *[DWBlock(c2) for _ in range(blocks[1])])  # /8
        self.s16 = nn.Sequential(Down(c2, c3), *[DWBlock(c3) for _ in range(blocks[2])])  # /16
        self.out_channels = (c2, c3)
        self.detail_channels = c1

    def forward(self, x):
        x = self.s4(self.stem(x))
        c3 = self.s8(x)
        c4 = self.s16(c3)
        return x, c3, c4


def sine_embed_2d(xy, d, temperature=10000.0):
    """xy [..., 2] in [0, 1] -> [..., d] (d/2 for y then d/2 for x, sin/cos interleaved)."""
    half = d // 2
    dim_t = torch.arange(half // 2, dtype=torch.float32, device=xy.device)
    dim_t = temperature ** (2 * dim_t / half)
    x = xy[..., 0:1] * 2 * math.pi / dim_t
    y = xy[..., 1:2] * 2 * math.pi / dim_t
    pos_x = torch.stack([x.sin(), x.cos()], dim=-1).flatten(-2)
    pos_y = torch.stack([y.sin(), y.cos()], dim=-1).flatten(-2)
    return torch.cat([pos_y, pos_x], dim=-1)


class MLP(nn.Module):
    def __init__(self, din, dh, dout, n):
        super().__init__()
        dims = [din] + [dh] * (n - 1) + [dout]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))

    def forward(self, x):
        for i, l in enumerate(self.layers):
            x = l(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return x


class Attention(nn.Module):
    """Multi-head attention written with matmul/softmax (exports cleanly); optional additive bias [B,H,Q,K]."""

    def __init__(self, d, heads):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def forward(self, q, k, v, bias=None):
        B, Q, D = q.shape
        K = k.shape[1]
        q = self.q(q).view(B, Q, self.h, self.dh).transpose(1, 2)
        k = self.k(k).view(B, K, self.h, self.dh).transpose(1, 2)
        v = self.v(v).view(B, K, self.h, self.dh).transpose(1, 2)
        att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.dh))
        if bias is not None:
            att = att + bias
        att = att.softmax(-1)
        return self.o((att @ v).transpose(1, 2).reshape(B, Q, D))


class EncoderLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.attn = Attention(d, heads)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, ffn), nn.GELU(), nn.Linear(ffn, d))

    def forward(self, x, pos):
        q = x + pos
        x = self.n1(x + self.attn(q, q, x))
        return self.n2(x + self.ffn(x))


class DecoderLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.self_attn = Attention(d, heads)
        self.cross_attn = Attention(d, heads)
        self.n1, self.n2, self.n3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, ffn), nn.GELU(), nn.Linear(ffn, d))

    def forward(self, tgt, qpos_self, qpos_cross, mem_k, mem_v, self_bias, cross_bias, detail=None):
        q = tgt + qpos_self
        tgt = self.n1(tgt + self.self_attn(q, q, tgt, self_bias))
        cross = self.cross_attn(tgt + qpos_cross, mem_k, mem_v, cross_bias)
        if detail is not None:
            cross = cross + detail
        tgt = self.n2(tgt + cross)
        return self.n3(tgt + self.ffn(tgt))


class TinyDETR(nn.Module):
    def __init__(self, num_classes=6, d=96, heads=4, ffn=384, num_queries=60, dec_layers=3, img_size=320,
                 widths=(24, 32, 96, 160), blocks=(1, 2, 3), detail_points=0):
        super().__init__()
        self.C, self.d, self.Q, self.L, self.heads = num_classes, d, num_queries, dec_layers, heads
        self.backbone = Backbone(widths, blocks)
        c3, c4 = self.backbone.out_channels
        self.proj3, self.proj4 = ConvBN(c3, d, 1, act=False), ConvBN(c4, d, 1, act=False)
        self.aifi = EncoderLayer(d, heads, ffn)
        self.td = nn.Sequential(ConvBN(d, d, 3, 1, groups=d, act=False), ConvBN(d, d, 1))  # top-down fuse
        self.bu_down = ConvBN(d, d, 3, 2, groups=d, act=False)
        self.bu = nn.Sequential(ConvBN(d, d, 1), ConvBN(d, d, 3, 1, groups=d, act=False), ConvBN(d, d, 1))
        self.level_embed = nn.Parameter(torch.zeros(2, d))
        # anchors / positions for the fixed input size
        s3, s4 = img_size // 8, img_size // 16
        self.shapes = [(s3, s3), (s4, s4)]
        xy, wh = [], []
        for lvl, (h, w) in enumerate(self.shapes):
            ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32),
                                    indexing="ij")
            xy.append(torch.stack([(xs + 0.5) / w, (ys + 0.5) / h], -1).reshape(-1, 2))
            wh.append(torch.full((h * w, 2), 0.04 * (2.0 ** lvl)))
        xy, wh = torch.cat(xy), torch.cat(wh)
        self.register_buffer("token_xy", xy, persistent=False)  # [T, 2]
        self.register_buffer("anchor_logits", inverse_sigmoid(torch.cat([xy, wh], -1)), persistent=False)
        self.register_buffer("mem_pos", sine_embed_2d(xy, d)[None], persistent=False)  # [1, T, d]
        # query selection heads
        self.enc_out = nn.Sequential(nn.Linear(d, d), nn.LayerNorm(d))
        self.enc_cls = nn.Linear(d, num_classes)
        self.enc_box = MLP(d, d, 4, 3)
        # decoder
        self.layers = nn.ModuleList(DecoderLayer(d, heads, ffn) for _ in range(dec_layers))
        self.qpos_self = MLP(4, 2 * d, d, 2)
        self.qpos_cross = MLP(d, d, d, 2)
        self.cls_heads = nn.ModuleList(nn.Linear(d, num_classes) for _ in range(dec_layers))
        self.box_heads = nn.ModuleList(MLP(d, d, 4, 3) for _ in range(dec_layers))
        # SMCA-style spatial prior: log widths per head (in units of the reference box size)
        self.log_sigma = nn.Parameter(torch.log(torch.tensor([0.6, 1.0, 2.0, 6.0][:heads] +
                                                             [2.0] * max(0, heads - 4))))
        self.label_embed = nn.Embedding(num_classes, d)  # denoising queries' content
        # stride-4 detail: P x P bilinear samples over 1.4x the reference box, projected per layer (zero-init)
        self.P = detail_points
        if detail_points > 0:
            g = torch.linspace(-0.7, 0.7, detail_points)
            gy, gx = torch.meshgrid(g, g, indexing="ij")
            self.register_buffer("detail_grid", torch.stack([gx, gy], -1).reshape(-1, 2), persistent=False)
            cin = detail_points * detail_points * self.backbone.detail_channels
            self.detail_proj = nn.ModuleList(nn.Linear(cin, d) for _ in range(dec_layers))
        self.register_buffer("pix_mean", torch.tensor([0.45, 0.45, 0.45]).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("pix_std", torch.tensor([0.25, 0.25, 0.25]).view(1, 3, 1, 1), persistent=False)
        self._reset()

    def _reset(self):
        prior = -math.log((1 - 0.01) / 0.01)
        for head in list(self.cls_heads) + [self.enc_cls]:
            nn.init.constant_(head.bias, prior)
        for mlp in list(self.box_heads) + [self.enc_box]:
            nn.init.zeros_(mlp.layers[-1].weight)
            nn.init.zeros_(mlp.layers[-1].bias)
        nn.init.normal_(self.level_embed, std=0.02)
        for lin in getattr(self, "detail_proj", []):
            nn.init.zeros_(lin.weight)
            nn.init.zeros_(lin.bias)

    # ------------------------------------------------------------------------------------------ pieces
    def encode(self, images):
        x = (images - self.pix_mean) / self.pix_std
        f4, c3, c4 = self.backbone(x)
        p3, p4 = self.proj3(c3), self.proj4(c4)
        B, d, h4, w4 = p4.shape
        t4 = p4.flatten(2).transpose(1, 2)
        n3 = self.shapes[0][0] * self.shapes[0][1]
        t4 = self.aifi(t4, self.mem_pos[:, n3:])
        p4 = t4.transpose(1, 2).reshape(B, d, h4, w4)
        p3 = self.td(p3 + F.interpolate(p4, scale_factor=2.0, mode="nearest"))
        p4 = self.bu(p4 + self.bu_down(p3))
        mem = torch.cat([p3.flatten(2), p4.flatten(2)], 2).transpose(1, 2)  # [B, T, d]
        return mem, f4

    def sample_detail(self, f4, ref):
        """f4 [B, c, H/4, W/4], ref [B, Q, 4] cxcywh normalised -> [B, Q, P*P*c] bilinear samples."""
        B, Q = ref.shape[:2]
        pts = ref[:, :, None, :2] + self.detail_grid[None, None] * ref[:, :, None, 2:]  # [B, Q, P*P, 2]
        s = F.grid_sample(f4, pts * 2.0 - 1.0, mode="bilinear", padding_mode="zeros", align_corners=False)
        return s.permute(0, 2, 3, 1).reshape(B, Q, -1)  # [B, c, Q, P*P] -> [B, Q, P*P*c]

    def spatial_bias(self, ref):
        """ref [B, Q, 4] (cxcywh, normalised) -> additive log-Gaussian bias [B, H, Q, T]."""
        c = ref[..., :2]
        wh = ref[..., 2:].clamp(min=0.025)
        z = (self.token_xy[None, None, :, :] - c[:, :, None, :]) / wh[:, :, None, :]  # [B, Q, T, 2]
        d2 = (z * z).sum(-1)  # [B, Q, T]
        inv_var = torch.exp(-2.0 * self.log_sigma).view(1, -1, 1, 1)  # [1, H, 1, 1]
        return -0.5 * d2[:, None] * inv_var

    def forward(self, images, dn=None):
        """dn: optional (dn_content [B, D, d], dn_ref [B, D, 4] cxcywh, self_mask [D+Q, D+Q] bool, True = blocked).

        Returns dict with 'logits' [L, B, Q, C], 'boxes' [L, B, Q, 4], 'enc_logits' [B, Q, C], 'enc_boxes',
        and with dn: 'dn_logits' [L, B, D, C], 'dn_boxes' [L, B, D, 4].
        """
        mem, f4 = self.encode(images)
        B = mem.shape[0]
        enc = self.enc_out(mem)
        enc_logits = self.enc_cls(enc)  # [B, T, C]
        enc_box_logits = self.enc_box(enc) + self.anchor_logits[None]
        score = enc_logits.max(-1).values
        idx = score.topk(self.Q, dim=1).indices  # [B, Q]
        sel_logits = torch.gather(enc_logits, 1, idx[..., None].expand(-1, -1, self.C))
        sel_box_logits = torch.gather(enc_box_logits, 1, idx[..., None].expand(-1, -1, 4))
        tgt = torch.gather(enc, 1, idx[..., None].expand(-1, -1, self.d)).detach()
        ref = sel_box_logits.sigmoid().detach()
        n_dn = 0
        self_bias = None
        if dn is not None:
            dn_content, dn_ref, self_mask = dn
            n_dn = dn_content.shape[1]
            tgt = torch.cat([dn_content, tgt], 1)
            ref = torch.cat([dn_ref, ref], 1)
            self_bias = torch.zeros(self_mask.shape, device=mem.device).masked_fill(self_mask, float("-inf"))
        mem_k = mem + self.mem_pos
        logits_all, boxes_all = [], []
        for l, layer in enumerate(self.layers):
            qpos_self = self.qpos_self(ref)
            qpos_cross = self.qpos_cross(sine_embed_2d(ref[..., :2], self.d))
            detail = self.detail_proj[l](self.sample_detail(f4, ref)) if self.P > 0 else None
            tgt = layer(tgt, qpos_self, qpos_cross, mem_k, mem, self_bias, self.spatial_bias(ref), detail)
            box = (self.box_heads[l](tgt) + inverse_sigmoid(ref)).sigmoid()
            logits_all.append(self.cls_heads[l](tgt))
            boxes_all.append(box)
            ref = box.detach()
        logits, boxes = torch.stack(logits_all), torch.stack(boxes_all)
        out = {"logits": logits[:, :, n_dn:], "boxes": boxes[:, :, n_dn:], "enc_logits": sel_logits,
               "enc_boxes": sel_box_logits.sigmoid()}
        if dn is not None:
            out["dn_logits"], out["dn_boxes"] = logits[:, :, :n_dn], boxes[:, :, :n_dn]
        return out


class ExportWrapper(nn.Module):
    """The deployed graph: images -> (pred_logits, pred_boxes) of the last decoder layer."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, images):
        out = self.model(images)
        return out["logits"][-1], out["boxes"][-1]


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
