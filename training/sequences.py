"""Short deterministic frame sequences for the video tracker (format: see training/README.md).

A static camera looks at a few lights whose true state follows the legal phase order (LEGAL_NEXT), or
flashes. Some frames are deliberately hard: a passing truck hides a light (event "occluded": the detector is
expected to miss it), glare tints a lit lamp into another colour (event "misread": rendered_state differs
from state), or an LED flickers dark for a frame (event "flicker": rendered as off). Each frame also carries
`detections`: a simulated detector output (jittered box, rendered state, score) so tracker tests can run
without a model.
"""

import numpy as np
from PIL import Image, ImageDraw

from common import STATES
from scenes import (Light, TIMES, _distractors, _draw_background, _light_style, _photometric, compose,
                    render_light)

FORMAT = "edgevision-trafficlight-sequence-v1"

# Legal successor phases of a signal (compressed timing: a phase lasts a few frames).
LEGAL_NEXT = {
    "green": ["yellow"],
    "yellow": ["red"],
    "red": ["green", "green_left", "red_left"],
    "red_left": ["green"],
    "green_left": ["green", "yellow"],
}
# Flashing modes alternate between the lit colour and "off".
FLASHING = {"flashing_yellow": "yellow", "flashing_red": "red"}

KINDS = ["cycle", "protected_left", "flashing", "dropouts", "dense_row"]


def _phase_schedule(rng, n_frames, start, allowed_next=None, dwell=(4, 8)):
    """Per-frame states following LEGAL_NEXT from `start`."""
    states, cur = [], start
    while len(states) < n_frames:
        states += [cur] * int(rng.integers(dwell[0], dwell[1] + 1))
        nxt = LEGAL_NEXT[cur]
        if allowed_next:
            nxt = [s for s in nxt if s in allowed_next] or nxt
        cur = nxt[int(rng.integers(0, len(nxt)))]
    return states[:n_frames]


def _flash_schedule(rng, n_frames, colour, period):
    on = period // 2
    phase = int(rng.integers(0, period))
    return [colour if ((i + phase) % period) < on else "off" for i in range(n_frames)]


def is_legal(a, b):
    """True when a signal may go from state a to state b between consecutive frames (same or a legal step)."""
    return a == b or b in LEGAL_NEXT.get(a, [])


def _make_light(rng, size, tod, x, y, short, vertical, row=-1):
    style = _light_style(rng, tod)
    style["glow"] = min(style["glow"], 0.5)
    L = short * style["ratio"]
    w, h = (short, L) if vertical else (L, short)
    return Light(x, y, w, h, "off", "vertical" if vertical else "horizontal", row=row, style=style)


def generate_sequence(seed, kind, n_frames=24, size=320):
    """Returns (frames, meta): frames = list of (uint8 image, [object dicts], [detection dicts])."""
    rng = np.random.default_rng(seed)
    tod = ["day", "overcast", "dusk", "night"][int(rng.integers(0, 4))]
    glows = []
    bg, d, horizon = _draw_background(rng, size, tod, glows)
    _distractors(rng, bg, d, size, tod, horizon, glows, int(rng.integers(2, 6)))
    lights, arms, tracks, schedules = [], [], [], []
    events = {}  # (track index, frame) -> event name

    if kind == "dense_row":
        n = 5
        s = float(rng.uniform(9, 14))
        style_light = _make_light(rng, size, tod, 0, 0, s, True)
        w, h = style_light.w, style_light.h
        gap = -0.15 * w
        x0 = (size - (n * w + (n - 1) * gap)) / 2
        y0 = float(rng.uniform(30, 80))
        for i in range(n):
            L = Light(x0 + i * (w + gap), y0, w, h, "off", "vertical", row=0, style=dict(style_light.style))
            lights.append(L)
        arms.append((x0 - 20, y0 - 2, x0 + n * (w + gap) + 20, y0))
        for i in range(n):
            start = ["red", "green", "yellow", "red_left", "green_left"][i]
            if start.endswith("_left") and s < 9:
                start = start.split("_")[0]
            schedules.append(("cycle", _phase_schedule(rng, n_frames, start)))
    else:
        count = {"cycle": 3, "protected_left": 2, "flashing": 2, "dropouts": 2}[kind]
        xs = np.linspace(40, size - 60, count) + rng.uniform(-15, 15, count)
        for i in range(count):
            s = float(rng.uniform(10, 24)) if kind != "cycle" else float(rng.uniform(7, 22))
            vertical = kind == "flashing" or rng.random() < 0.75
            L = _make_light(rng, size, tod, float(xs[i]), float(rng.uniform(20, 120)), s, vertical)
            if L.x + L.w > size - 4:
                L.x = size - 4 - L.w
            lights.append(L)
            if kind == "cycle":
                schedules.append(("cycle", _phase_schedule(rng, n_frames, ["green", "yellow", "red"][i % 3],
                                                           allowed_next=["green", "yellow", "red"])))
            elif kind == "protected_left":
                start = ["red", "green_left"][i % 2]
                schedules.append(("cycle", _phase_schedule(rng, n_frames, start, dwell=(3, 6))))
            elif kind == "flashing":
                mode = ["flashing_yellow", "flashing_red"][i % 2]
                schedules.append((mode, _flash_schedule(rng, n_frames, FLASHING[mode], period=[4, 6][i % 2])))
            else:
                schedules.append(("cycle", _phase_schedule(rng, n_frames, ["red", "green"][i % 2],
                                                           allowed_next=["green", "yellow", "red"])))
        if kind == "dropouts":
            # light 0: hidden by a truck for 3 frames, misread once; light 1: flicker once, misread once
            k = int(rng.integers(5, n_frames - 8))
            for f in range(k, k + 3):
                events[(0, f)] = "occluded"
            events[(0, k + 6)] = "misread"
            events[(1, int(rng.integers(3, k)))] = "flicker"
            events[(1, int(rng.integers(k + 1, n_frames - 1)))] = "misread"

    canvas0, glow0 = compose(rng, size, tod, bg, d, glows, lights, arms)
    truck_col = tuple(int(v) for v in rng.uniform(20, 90, 3))
    frame_gain = float(rng.uniform(0.85, 1.15))
    frames = []
    for f in range(n_frames):
        canvas, glow = canvas0.copy(), glow0.copy()
        objects, dets = [], []
        frng = np.random.default_rng([seed, f])
        for i, L in enumerate(lights):
            mode, sched = schedules[i]
            truth = sched[f]
            L.state = truth
            ev = events.get((i, f), "none")
            rendered, gain = truth, 1.0
            if ev == "misread":
                # glare shifts the apparent colour: red looks yellow, yellow looks red, green looks yellow
                swap = {"red": "yellow", "yellow": "red", "green": "yellow", "red_left": "red",
                        "green_left": "green", "off": "yellow"}
                rendered = swap[truth]
            elif ev == "flicker":
                rendered, gain = "off", 0.0
            render_light(canvas, glow, L, rendered_state=rendered, lamp_gain=gain)
            objects.append({"track_id": i + 1, "bbox": [round(v, 2) for v in L.box()], "state": truth,
                            "rendered_state": rendered, "visible": ev != "occluded", "event": ev})
        # occluder: a truck crossing in front of light 0
        occl = [f for (i, f2), e in events.items() if e == "occluded" and f2 == f]
        if occl:
            L = lights[0]
            img_d = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))
            dd = ImageDraw.Draw(img_d)
            dd.rectangle([L.x - 0.6 * L.w - 3, L.y - 0.3 * L.h, L.x + 1.6 * L.w + 3, size], fill=truck_col)
            canvas = np.asarray(img_d, dtype=np.float32).copy()
            glow[int(max(0, L.y - L.h)):, int(max(0, L.x - L.w * 2)):int(min(size, L.x + 3 * L.w))] = 0
        for o in objects:
            if not o["visible"]:
                continue
            x, y, w, h = o["bbox"]
            j = frng.normal(0, 0.4, 4)
            dets.append({"track_id": o["track_id"],
                         "bbox": [round(x + j[0], 2), round(y + j[1], 2), round(w + j[2], 2), round(h + j[3], 2)],
                         "state": o["rendered_state"], "score": round(float(frng.uniform(0.6, 0.97)), 3)})
        prng = np.random.default_rng([seed, f, 7])
        # per-frame photometric: fixed exposure for the sequence, fresh sensor noise per frame
        img = canvas * frame_gain
        img = _photometric(prng, img, glow, tod, 0.35)
        frames.append((img, objects, dets))
    track_meta = []
    for i, L in enumerate(lights):
        mode = schedules[i][0]
        track_meta.append({"track_id": i + 1, "orientation": L.orientation, "mode": mode,
                           "flashing": mode in FLASHING,
                           "flashing_colour": FLASHING.get(mode), "row": L.row})
    meta = {"format": FORMAT, "kind": kind, "seed": int(seed), "time_of_day": tod, "width": size,
            "height": size, "fps": 10, "labels": STATES, "legal_next": LEGAL_NEXT, "tracks": track_meta}
    return frames, meta
