"""Trains TinyDETR on generated traffic-light scenes; exports ONNX + a report at every checkpoint and at the end.

    nice -n 19 /usr/bin/python3 training/train.py --steps N --out training/runs/NAME [--resume]

Writes into --out: last.pt (checkpoint: weights, EMA weights, optimiser, step), model.onnx (EMA weights, SDK
metadata), report.json and report.md (config, loss curve summary, validation AP50), log.jsonl (losses every
--log-every steps), and prints progress. Fixed seeds: the same command gives the same data stream and
initialisation (bit-exact results also need the same torch build and thread count).
"""

import argparse
import copy
import json
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import STATES, label_schema  # noqa: E402
from data import TRAIN_SEED0, loader  # noqa: E402
from evaluate import evaluate_outputs, load_validation, run_model  # noqa: E402
from export import OPSET, export_onnx  # noqa: E402
from losses import make_denoising, total_loss  # noqa: E402
from model import TinyDETR, count_parameters  # noqa: E402

MODEL_ARGS = {"num_classes": len(STATES), "d": 96, "heads": 4, "ffn": 384, "num_queries": 60, "dec_layers": 3,
              "img_size": 320, "widths": [24, 32, 96, 160], "blocks": [1, 2, 3]}


class EMA:
    def __init__(self, model, decay):
        self.model = copy.deepcopy(model).eval()
        self.decay = decay
        for p in self.model.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model, step):
        d = min(self.decay, (1 + step) / (10 + step))
        msd = model.state_dict()
        for k, v in self.model.state_dict().items():
            if v.dtype.is_floating_point:
                v.mul_(d).add_(msd[k].detach(), alpha=1 - d)
            else:
                v.copy_(msd[k])


def lr_at(step, args):
    warm = min(args.warmup, max(1, args.steps // 10))
    if step < warm:
        return args.lr * (step + 1) / warm
    t = (step - warm) / max(1, args.steps - warm)
    return args.lr * (args.final_lr_frac + (1 - args.final_lr_frac) * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def summarise_curve(history, buckets=10):
    """Mean total loss over `buckets` equal spans of the logged history."""
    if not history:
        return []
    n = len(history)
    out = []
    for b in range(buckets):
        part = history[b * n // buckets:(b + 1) * n // buckets]
        if part:
            out.append({"steps": [part[0]["step"], part[-1]["step"]],
                        "loss": round(sum(h["loss"] for h in part) / len(part), 4)})
    return out


def write_report(args, step, model_params, history, metrics, onnx_path, onnx_size, sec_per_step, started, final):
    rep = {
        "final": final, "step": step, "steps_planned": args.steps, "params": model_params,
        "model_args": MODEL_ARGS, "labels": STATES, "label_schema": label_schema(),
        "config": {k: v for k, v in vars(args).items()},
        "train_seed0": TRAIN_SEED0, "onnx": os.path.basename(onnx_path), "onnx_bytes": onnx_size,
        "onnx_opset": OPSET, "sec_per_step_recent": round(sec_per_step, 3), "wall_seconds": round(time.time() - started),
        "loss_curve": summarise_curve(history), "loss_last": history[-1] if history else None,
        "validation": metrics,
    }
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump(rep, f, indent=1)
    m = metrics
    pr = m["strict_frame_pass_rate"]
    lines = [
        f"# TinyDETR traffic-light training report ({'final' if final else 'checkpoint'}, step {step}/{args.steps})",
        "",
        f"- parameters: {model_params:,}; ONNX `{os.path.basename(onnx_path)}` {onnx_size / 1e6:.2f} MB (opset {OPSET})",
        f"- recent speed: {sec_per_step:.2f} s/step (batch {args.batch}, {torch.get_num_threads()} threads)",
        f"- validation set: {m['images']} images, {m['lights']} lights (EMA weights)",
        "",
        "| metric | value |", "| --- | --- |",
        f"| AP50 class-agnostic | {m['ap50_class_agnostic']:.3f} |",
        f"| AP50 joint state (one label per query) | {m['ap50_joint_state']:.3f} |",
        f"| AP50 joint state (top-100 query x state pairs) | {m['ap50_joint_state_topk_labels']:.3f} |",
        f"| dense scenes ({m['dense_images']}): AP50 class-agnostic / joint | "
        f"{m['dense_ap50_class_agnostic']:.3f} / {m['dense_ap50_joint_state']:.3f} |",
    ] + [f"| strict frame pass rate, score >= {t} | {v:.3f} |" for t, v in pr.items()] + [
        "", "Per state AP50: " + ", ".join(f"{k} {v:.3f}" for k, v in m["ap50_per_state"].items()),
        "", "Class-agnostic recall at score >= 0.3 by housing short side (px): " + ", ".join(
            f"{k} {f}/{n}" for k, (f, n) in m.get("recall_by_short_side_at_0.30", {}).items()),
        "", "Loss curve (mean total loss per span of logged steps):", "",
        "| steps | loss |", "| --- | --- |",
    ] + [f"| {c['steps'][0]}-{c['steps'][1]} | {c['loss']:.3f} |" for c in summarise_curve(history)] + [""]
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write("\n".join(lines))
    return rep


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    ap.add_argument("--batch", type=int, default=12)
    ap.add_argument("--lr", type=float, default=6e-4)
    ap.add_argument("--final-lr-frac", type=float, default=0.05)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--clip", type=float, default=0.5)
    ap.add_argument("--ema", type=float, default=0.999)
    ap.add_argument("--dn-groups", type=int, default=2)
    ap.add_argument("--ckpt-every", type=int, default=250)
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=1, help="data-generation processes (0 = in the main process)")
    ap.add_argument("--detail-points", type=int, default=0,
                    help="P > 0 adds the stride-4 detail sampler (P x P points per query and decoder layer)")
    ap.add_argument("--init", help="fine-tuning stage: start from this checkpoint's EMA weights (new modules keep "
                                   "their zero init) with a fresh optimiser and schedule")
    ap.add_argument("--data-offset", type=int, default=0,
                    help="step s trains on the scenes of data step s + offset (use the previous stage's length)")
    args = ap.parse_args()
    MODEL_ARGS["detail_points"] = args.detail_points
    ck_path = os.path.join(args.out, "last.pt")
    resume_ck = torch.load(ck_path, map_location="cpu") if args.resume and os.path.exists(ck_path) else None
    if resume_ck is not None and resume_ck["model_args"].get("detail_points", 0) != args.detail_points:
        raise SystemExit(f"--resume: {ck_path} was trained with --detail-points "
                         f"{resume_ck['model_args'].get('detail_points', 0)}, got {args.detail_points}: repeat the "
                         f"run's options")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    model = TinyDETR(**MODEL_ARGS)
    n_params = count_parameters(model)
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (no_decay if p.ndim <= 1 or "embed" in n or "log_sigma" in n else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    ema = EMA(model, args.ema)
    start, history = 0, []
    if args.init and resume_ck is None:
        init = torch.load(args.init, map_location="cpu")
        missing, unexpected = model.load_state_dict(init["ema"], strict=False)
        if unexpected or any(not k.startswith("detail_proj.") for k in missing):
            raise SystemExit(f"--init {args.init}: weights do not fit this model (missing {missing}, "
                             f"unexpected {unexpected})")
        ema.model.load_state_dict(model.state_dict())
        print(f"initialised from {args.init} (step {init['step']}); new: {missing}", flush=True)
    if resume_ck is not None:
        ck = resume_ck
        model.load_state_dict(ck["model"])
        ema.model.load_state_dict(ck["ema"])
        opt.load_state_dict(ck["opt"])
        start, history = ck["step"], ck.get("history", [])
        print(f"resumed from {ck_path} at step {start}", flush=True)
    elif args.resume:
        print(f"no checkpoint at {ck_path}: starting from scratch", flush=True)
    print(f"TinyDETR {n_params:,} parameters; steps {start}..{args.steps}, batch {args.batch}, "
          f"threads {torch.get_num_threads()}", flush=True)
    val = load_validation()
    started = time.time()
    step_times = []
    acc, acc_n = {}, 0
    onnx_path = os.path.join(args.out, "model.onnx")
    gen = torch.Generator()

    def checkpoint(step, final):
        tmp = ck_path + ".tmp"
        torch.save({"model": model.state_dict(), "ema": ema.model.state_dict(), "opt": opt.state_dict(),
                    "step": step, "history": history, "model_args": MODEL_ARGS, "args": vars(args)}, tmp)
        os.replace(tmp, ck_path)
        t0 = time.time()
        logits, boxes = run_model(ema.model, val)
        metrics = evaluate_outputs(logits, boxes, val)
        size = export_onnx(ema.model, onnx_path, {"training.steps": step, "training.final": str(final).lower()})
        sps = sum(step_times[-100:]) / max(1, len(step_times[-100:]))
        write_report(args, step, n_params, history, metrics, onnx_path, size, sps, started, final)
        print(f"[ckpt {step}] AP50 agnostic {metrics['ap50_class_agnostic']:.3f} joint "
              f"{metrics['ap50_joint_state']:.3f} (top-k labels {metrics['ap50_joint_state_topk_labels']:.3f}) "
              f"pass@0.5 {metrics['strict_frame_pass_rate']['0.50']:.3f}; eval+export {time.time() - t0:.1f}s",
              flush=True)

    model.train()
    t_last = time.time()
    for step, x, targets in loader(start, args.steps, args.batch, args.workers, args.data_offset):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args)
        images = x.float() / 255.0
        gen.manual_seed(args.seed * 1_000_003 + step + args.data_offset)
        dn, dn_meta = (make_denoising(model, targets, groups=args.dn_groups, generator=gen)
                       if args.dn_groups > 0 else (None, None))
        out = model(images, dn)
        loss, parts = total_loss(out, targets, dn_meta)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        ema.update(model, step)
        now = time.time()
        step_times.append(now - t_last)
        t_last = now
        for k, v in parts.items():
            acc[k] = acc.get(k, 0.0) + v
        acc["loss"] = acc.get("loss", 0.0) + float(loss)
        acc["gnorm"] = acc.get("gnorm", 0.0) + float(gnorm)
        acc_n += 1
        done = step + 1
        if done % args.log_every == 0 or done == args.steps:
            rec = {"step": done, "lr": round(lr_at(step, args), 7),
                   "sec_per_step": round(sum(step_times[-acc_n:]) / acc_n, 3)}
            rec.update({k: round(v / acc_n, 4) for k, v in acc.items()})
            history.append(rec)
            with open(os.path.join(args.out, "log.jsonl"), "a") as f:
                f.write(json.dumps(rec) + "\n")
            print(f"step {done}/{args.steps} loss {rec['loss']:.3f} (last-layer cls {rec.get('d2_cls', 0):.3f} "
                  f"l1 {rec.get('d2_l1', 0):.3f} giou {rec.get('d2_giou', 0):.3f}) lr {rec['lr']:.2e} "
                  f"{rec['sec_per_step']:.2f}s/step", flush=True)
            acc, acc_n = {}, 0
        if done % args.ckpt_every == 0 and done != args.steps:
            checkpoint(done, final=False)
            t_last = time.time()
    checkpoint(args.steps, final=True)
    print(f"done: {onnx_path}, {os.path.join(args.out, 'report.md')}", flush=True)


if __name__ == "__main__":
    main()
