"""Deterministic procedural traffic-light scenes (numpy + PIL).

`generate_scene(seed)` returns an RGB uint8 array (320x320 by default) and the list of lights in it. Everything
is drawn from `numpy.random.default_rng(seed)`, so one seed always gives the same scene (for a given numpy and
Pillow version; the committed validation set is the reference).

A light is a housing with three lamps: vertical (red on top) or horizontal (red on the left). Its box is the
housing (not the glow, not the back plate), short side from 5 to 35 px. Joint states (see common.STATES):
red, yellow, green (one round lamp lit), red_left / green_left (that lamp shows a left-arrow glyph instead of a
round lamp), off (every lamp dark). Arrow glyphs are only drawn on housings whose short side is at least
ARROW_MIN_SHORT px: below that a 3-4 px lamp cannot show an arrow, so the label would be unknowable.
generate_scene(views=share) also draws that share of the lights from the side or the back (no lamp visible; see
assign_views); by default every light faces the camera.
"""

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from common import STATES

SS = 4  # supersampling factor for light sprites
ARROW_MIN_SHORT = 9.0
MIN_SHORT, MAX_SHORT = 5.0, 35.0

LIT = {"red": (255, 40, 30), "yellow": (255, 172, 18), "green": (30, 255, 140)}
LAMP_ORDER = ["red", "yellow", "green"]
LIT_LAMP = {"red": "red", "yellow": "yellow", "green": "green", "red_left": "red", "green_left": "green",
            "off": None}


class Light:
    """One annotated light: housing box (x, y, w, h) in pixels, joint state, orientation, and the side it is seen
    from: "front" (the lamps face the camera), "side" (a vertical housing edge-on, its visors sticking out to one
    side; the box includes them) or "back" (the closed back of the housing, no lamp visible). Only front views show
    their state; generate_scene draws the others only when asked (`views`)."""

    __slots__ = ("x", "y", "w", "h", "state", "orientation", "occluded", "row", "style", "view")

    def __init__(self, x, y, w, h, state, orientation, row=-1, style=None, view="front"):
        self.x, self.y, self.w, self.h = float(x), float(y), float(w), float(h)
        self.state, self.orientation = state, orientation
        self.occluded, self.row = False, row
        self.style = style or {}
        self.view = view

    @property
    def short(self):
        return min(self.w, self.h)

    def box(self):
        return [self.x, self.y, self.w, self.h]

    def to_dict(self):
        d = {"bbox": [round(v, 2) for v in self.box()], "state": self.state,
             "orientation": self.orientation, "occluded": self.occluded, "row": self.row}
        if self.view != "front":
            d["view"] = self.view
        return d


# ----------------------------------------------------------------------------------------------- backgrounds

TIMES = ["day", "overcast", "dusk", "night"]
TIME_P = [0.42, 0.2, 0.16, 0.22]


def _sky(rng, size, tod):
    if tod == "day":
        top, bot = rng.uniform([60, 110, 190], [120, 170, 240]), rng.uniform([150, 190, 220], [210, 225, 250])
    elif tod == "overcast":
        g = rng.uniform(140, 210)
        top = np.array([g, g, g + rng.uniform(0, 15)]) * rng.uniform(0.85, 1.0)
        bot = np.array([g, g, g]) * rng.uniform(0.95, 1.1)
    elif tod == "dusk":
        top, bot = rng.uniform([40, 30, 80], [90, 70, 140]), rng.uniform([200, 110, 60], [250, 170, 120])
    else:
        top, bot = rng.uniform([0, 0, 8], [15, 15, 40]), rng.uniform([15, 15, 30], [50, 45, 70])
    t = np.linspace(0, 1, size, dtype=np.float32)[:, None, None]
    img = top[None, None, :] * (1 - t) + bot[None, None, :] * t
    return np.broadcast_to(img, (size, size, 3)).astype(np.float32).copy()


def _facade_colour(rng, tod):
    base = rng.uniform(50, 190) * np.array(rng.uniform([0.8, 0.8, 0.8], [1.15, 1.1, 1.05]))
    if tod == "night":
        base *= 0.2
    elif tod == "dusk":
        base *= 0.6
    return tuple(int(v) for v in np.clip(base, 0, 255))


def _draw_background(rng, size, tod, glows):
    img = Image.fromarray(np.clip(_sky(rng, size, tod), 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    horizon = int(size * rng.uniform(0.55, 0.85))
    # buildings (blocks, some with window grids that light up at night)
    x = int(rng.uniform(-40, 0))
    while x < size:
        bw = int(rng.uniform(30, 140))
        top = int(rng.uniform(-20, horizon - 30))
        col = _facade_colour(rng, tod)
        if rng.random() < 0.8:
            d.rectangle([x, top, x + bw, size], fill=col)
            if rng.random() < 0.7:
                ww, wh = rng.uniform(3, 10), rng.uniform(4, 12)
                gx, gy = ww + rng.uniform(3, 9), wh + rng.uniform(4, 10)
                lit_p = 0.45 if tod in ("night", "dusk") else 0.0
                yy = top + rng.uniform(3, 10)
                while yy + wh < horizon:
                    xx = x + rng.uniform(2, 8)
                    while xx + ww < x + bw - 2:
                        if rng.random() < lit_p:
                            wc = tuple(int(v) for v in rng.uniform([200, 160, 60], [255, 230, 160]))
                        else:
                            wc = tuple(int(v * rng.uniform(0.4, 0.8)) for v in col)
                        d.rectangle([xx, yy, xx + ww, yy + wh], fill=wc)
                        xx += gx
                    yy += gy
        x += bw + int(rng.uniform(-10, 30))
    # road
    road = tuple(int(v) for v in np.clip(rng.uniform(50, 120) * (0.25 if tod == "night" else 1.0)
                                         * np.ones(3), 0, 255))
    d.rectangle([0, horizon, size, size], fill=road)
    for _ in range(int(rng.integers(0, 4))):
        lx = rng.uniform(0, size)
        d.polygon([(lx, horizon), (lx + 2, horizon), (lx + rng.uniform(-60, 60) + 6, size),
                   (lx + rng.uniform(-60, 60), size)], fill=(200, 200, 190) if tod != "night" else (90, 90, 80))
    return img, d, horizon


def _distractors(rng, img, d, size, tod, horizon, glows, n):
    """Coloured round blobs (car lights, street lamps, bokeh), signs and dark blocks."""
    night = tod in ("night", "dusk")
    for _ in range(n):
        kind = rng.choice(["car", "blob", "sign", "block", "lamp_post", "stripes"],
                          p=[0.24, 0.22, 0.2, 0.16, 0.1, 0.08])
        if kind == "car":
            cw = rng.uniform(30, 110)
            ch = cw * rng.uniform(0.35, 0.55)
            cx, cy = rng.uniform(-10, size - cw + 10), rng.uniform(horizon - ch * 0.6, size - ch * 0.6)
            body = tuple(int(v) for v in rng.uniform(10, 200, 3) * (0.3 if night else 1))
            d.rectangle([cx, cy, cx + cw, cy + ch], fill=body)
            d.rectangle([cx + cw * 0.15, cy - ch * 0.4, cx + cw * 0.85, cy], fill=body)
            r = cw * rng.uniform(0.05, 0.09)
            tail = rng.random() < 0.6
            col = (255, 30, 30) if tail else tuple(int(v) for v in rng.uniform([220, 210, 150], [255, 250, 230]))
            for lx in (cx + cw * 0.12, cx + cw * 0.88):
                ly = cy + ch * 0.35
                d.ellipse([lx - r, ly - r * 0.7, lx + r, ly + r * 0.7], fill=col)
                if night or rng.random() < 0.3:
                    glows.append((lx, ly, r * rng.uniform(1.5, 3.0), col, rng.uniform(0.3, 0.8)))
        elif kind == "blob":
            r = rng.uniform(1.5, 9)
            bx, by = rng.uniform(0, size), rng.uniform(0, size)
            col = [LIT["red"], LIT["yellow"], LIT["green"], (255, 140, 40), (255, 255, 235), (80, 140, 255),
                   (255, 60, 160)][int(rng.integers(0, 7))]
            col = tuple(int(min(255, v * rng.uniform(0.8, 1.05))) for v in col)
            d.ellipse([bx - r, by - r, bx + r, by + r], fill=col)
            glows.append((bx, by, r * rng.uniform(1.2, 3.0), col, rng.uniform(0.2, 0.9)))
        elif kind == "sign":
            r = rng.uniform(4, 18)
            sx, sy = rng.uniform(0, size), rng.uniform(0, horizon + 20)
            shape = rng.choice(["round", "rect", "diamond", "triangle"])
            pole = (70, 70, 70) if not night else (25, 25, 25)
            d.line([sx, sy, sx, min(size, sy + rng.uniform(20, 120))], fill=pole, width=max(1, int(r * 0.2)))
            dim = 0.45 if night else 1.0
            if shape == "round":
                ring = (int(220 * dim), int(20 * dim), int(20 * dim)) if rng.random() < 0.6 else \
                    (int(30 * dim), int(80 * dim), int(200 * dim))
                d.ellipse([sx - r, sy - r, sx + r, sy + r], fill=ring)
                d.ellipse([sx - r * 0.75, sy - r * 0.75, sx + r * 0.75, sy + r * 0.75],
                          fill=tuple(int(v * dim) for v in (240, 240, 240)) if rng.random() < 0.7 else ring)
            elif shape == "rect":
                col = [(20, 120, 60), (30, 70, 170), (240, 240, 240), (230, 180, 20)][int(rng.integers(0, 4))]
                d.rectangle([sx - r * 1.6, sy - r * 0.5, sx + r * 1.6, sy + r * 0.5],
                            fill=tuple(int(v * dim) for v in col))
            elif shape == "diamond":
                d.polygon([(sx, sy - r), (sx + r, sy), (sx, sy + r), (sx - r, sy)],
                          fill=(int(240 * dim), int(190 * dim), int(20 * dim)))
            else:
                d.polygon([(sx, sy - r), (sx + r, sy + r * 0.8), (sx - r, sy + r * 0.8)],
                          fill=(int(220 * dim), int(30 * dim), int(30 * dim)))
                d.polygon([(sx, sy - r * 0.55), (sx + r * 0.6, sy + r * 0.55), (sx - r * 0.6, sy + r * 0.55)],
                          fill=(int(240 * dim), int(240 * dim), int(240 * dim)))
        elif kind == "block":
            # dark housing-like blocks without lamps (hard negatives), sometimes with one coloured dot
            bw = rng.uniform(4, 30)
            bh = bw * rng.uniform(0.8, 3.5)
            if rng.random() < 0.4:
                bw, bh = bh, bw
            bx, by = rng.uniform(0, size - bw), rng.uniform(0, size - bh)
            g = int(rng.uniform(10, 70))
            d.rectangle([bx, by, bx + bw, by + bh], fill=(g, g, g + int(rng.uniform(0, 10))))
            if rng.random() < 0.3:
                r = min(bw, bh) * 0.3
                col = [(255, 255, 230), (255, 130, 30), (80, 160, 255)][int(rng.integers(0, 3))]
                cx, cy = bx + bw / 2, by + bh / 2
                d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=col)
                glows.append((cx, cy, r * 2, col, 0.4))
        elif kind == "lamp_post":
            px = rng.uniform(0, size)
            top = rng.uniform(0, horizon - 20)
            d.line([px, top, px, size], fill=(60, 60, 60) if not night else (20, 20, 20), width=2)
            arm = rng.uniform(8, 30) * rng.choice([-1, 1])
            d.line([px, top, px + arm, top], fill=(60, 60, 60) if not night else (20, 20, 20), width=2)
            r = rng.uniform(2, 5)
            col = (255, 170, 80) if rng.random() < 0.6 else (240, 240, 255)
            d.ellipse([px + arm - r, top, px + arm + r, top + r * 1.2], fill=col)
            glows.append((px + arm, top + r * 0.6, r * 3, col, rng.uniform(0.3, 0.9) if night else 0.2))
        else:
            # striped barrier / facade ornaments: colour edges that are not lights
            x0, y0 = rng.uniform(0, size - 40), rng.uniform(horizon - 30, size - 8)
            cols = [(230, 40, 40), (240, 240, 240)] if rng.random() < 0.5 else [(240, 200, 20), (30, 30, 30)]
            wseg = rng.uniform(3, 8)
            for i in range(int(rng.integers(4, 10))):
                d.rectangle([x0 + i * wseg, y0, x0 + (i + 1) * wseg, y0 + wseg], fill=cols[i % 2])


# ------------------------------------------------------------------------------------------------- lights

def _light_style(rng, tod):
    night = tod in ("night", "dusk")
    if rng.random() < 0.8:
        g = rng.uniform(12, 45)
        housing = (g, g, g + rng.uniform(0, 8))
    elif rng.random() < 0.6:
        housing = tuple(rng.uniform([150, 120, 10], [220, 180, 40]))  # yellow-painted housing
    else:
        housing = tuple(rng.uniform([20, 45, 25], [45, 80, 45]))  # dark green housing
    if night:
        housing = tuple(v * 0.55 for v in housing)
    return {
        "housing": tuple(int(v) for v in housing),
        "plate": rng.random() < 0.25,
        "plate_border": rng.random() < 0.5,
        "ratio": rng.uniform(2.75, 3.2),
        "lamp": rng.uniform(0.66, 0.8),
        "core": rng.uniform(0.15, 0.7 if night else 0.45),  # how much the lit core tends to white
        "glow": rng.uniform(0.35, 0.9) if night else rng.uniform(0.0, 0.35),
        "unlit": rng.uniform(0.1, 0.22),
        "hue": rng.uniform(-14, 14, 3),
        "visor": rng.random() < 0.4,
    }


# Varied look (generate_scene(look="varied")): drawn from a second generator seeded by [seed, 77], so the classic
# scenes (look="classic", the committed validation set) are unchanged. It widens what a "traffic light" looks
# like: housing shapes (square, rounded, pill-shaped, separate lamp modules; grey housings), lamp colours (orange-red to
# pink-red, amber to orange, yellow-green to cyan-green LEDs), LED dot texture, halo/bloom, stronger and motion
# blur, chroma noise, resolution loss, wider exposure, gamma and white balance, textured and foliage
# backgrounds.
LIT_VARIED = {
    "red": ([235, 0, 0], [255, 90, 70]),
    "yellow": ([240, 120, 0], [255, 215, 60]),
    "green": ([0, 190, 60], [110, 255, 235]),
}


def varied_style(vr, style, tod):
    """Adds the varied-look keys to a light style (vr: the look's generator)."""
    night = tod in ("night", "dusk")
    st = dict(style)
    st["shape"] = str(vr.choice(["rounded", "pill", "square", "modules"], p=[0.4, 0.15, 0.2, 0.25]))
    st["radius"] = float(vr.uniform(0.0, 0.3))
    st["lit_colours"] = {k: tuple(float(v) for v in vr.uniform(lo, hi)) for k, (lo, hi) in LIT_VARIED.items()}
    st["led"] = bool(vr.random() < 0.2)
    st["halo"] = float(vr.uniform(0.5, 1.3)) if night and vr.random() < 0.5 else 0.0
    st["lamp"] = float(vr.uniform(0.55, 0.85))
    st["core"] = float(vr.uniform(0.05, 0.9 if night else 0.5))
    st["glow"] = float(vr.uniform(0.3, 1.2)) if night else float(vr.uniform(0.0, 0.5))
    st["unlit"] = float(vr.uniform(0.05, 0.35))
    if vr.random() < 0.2:  # light-grey or silver housings, common on newer poles
        g = vr.uniform(90, 170) * (0.5 if night else 1.0)
        st["housing"] = (int(g), int(g), int(g + vr.uniform(0, 10)))
    return st


def _arrow_poly(cx, cy, r):
    """Left-pointing arrow inside a lamp of radius r centred at (cx, cy)."""
    hx = cx - 0.12 * r
    return [(cx - 0.82 * r, cy), (hx, cy - 0.62 * r), (hx, cy - 0.24 * r), (cx + 0.78 * r, cy - 0.24 * r),
            (cx + 0.78 * r, cy + 0.24 * r), (hx, cy + 0.24 * r), (hx, cy + 0.62 * r)]


def _lamp_colour(name, style, lit):
    base = np.array(style.get("lit_colours", LIT)[name], dtype=np.float32) + style["hue"]
    if lit:
        return tuple(int(v) for v in np.clip(base, 0, 255))
    dark = base * style["unlit"] + np.array(style["housing"]) * 0.6 + 6
    return tuple(int(v) for v in np.clip(dark, 0, 255))


def _draw_front(dr, da, dg, light, st, state, x0, y0, x1, y1, s, lamp_gain):
    """The housing seen from the front, its lamps and the lit lamp's glow (supersampled coordinates)."""
    shape = st.get("shape", "rounded")
    rad = {"rounded": 0.18, "pill": 0.5, "square": st.get("radius", 0.0) * 0.3}.get(shape, 0.12) * s * SS
    if shape == "modules":  # three separate lamp modules, a small gap between them
        gap = 0.06 * s * SS
        for i in range(3):
            if light.orientation == "vertical":
                box = [x0, y0 + i * (y1 - y0) / 3 + gap / 2, x1, y0 + (i + 1) * (y1 - y0) / 3 - gap / 2]
            else:
                box = [x0 + i * (x1 - x0) / 3 + gap / 2, y0, x0 + (i + 1) * (x1 - x0) / 3 - gap / 2, y1]
            dr.rounded_rectangle(box, radius=rad, fill=st["housing"])
            da.rounded_rectangle(box, radius=rad, fill=255)
        # the back bar that holds them
        if light.orientation == "vertical":
            bar = [(x0 + x1) / 2 - 0.15 * s * SS, y0, (x0 + x1) / 2 + 0.15 * s * SS, y1]
        else:
            bar = [x0, (y0 + y1) / 2 - 0.15 * s * SS, x1, (y0 + y1) / 2 + 0.15 * s * SS]
        dr.rectangle(bar, fill=st["housing"])
        da.rectangle(bar, fill=255)
    else:
        dr.rounded_rectangle([x0, y0, x1, y1], radius=rad, fill=st["housing"])
        da.rounded_rectangle([x0, y0, x1, y1], radius=rad, fill=255)
    lit_name = LIT_LAMP[state]
    arrow = state.endswith("_left")
    r = 0.5 * st["lamp"] * s * SS
    for i, name in enumerate(LAMP_ORDER):
        if light.orientation == "vertical":
            cx, cy = (x0 + x1) / 2, y0 + (i + 0.5) * (y1 - y0) / 3
        else:
            cx, cy = x0 + (i + 0.5) * (x1 - x0) / 3, (y0 + y1) / 2
        is_lit = name == lit_name and lamp_gain > 0
        dark = _lamp_colour(name, st, False)
        dr.ellipse([cx - r, cy - r, cx + r, cy + r], fill=dark)
        if st["visor"] and s >= 10:
            dr.arc([cx - r * 1.15, cy - r * 1.15, cx + r * 1.15, cy + r * 1.15], 200, 340,
                   fill=tuple(max(0, c - 10) for c in st["housing"]), width=max(1, int(0.12 * r)))
        if not is_lit:
            continue
        lit = np.array(_lamp_colour(name, st, True), dtype=np.float32)
        lit = np.array(dark) + (lit - np.array(dark)) * min(1.0, lamp_gain)
        core = lit + (255 - lit) * st["core"]
        lit_t, core_t = tuple(int(v) for v in lit), tuple(int(v) for v in np.clip(core, 0, 255))
        if arrow:
            dr.polygon(_arrow_poly(cx, cy, r), fill=lit_t)
        elif st.get("led") and s >= 8:
            # LED matrix: a grid of bright dots on the dark lamp
            step = max(1.5 * SS, r / 3.5)
            dot = step * 0.33
            yy = cy - r
            while yy <= cy + r:
                xx = cx - r
                while xx <= cx + r:
                    if (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r:
                        dr.ellipse([xx - dot, yy - dot, xx + dot, yy + dot], fill=core_t)
                    xx += step
                yy += step
        else:
            dr.ellipse([cx - r, cy - r, cx + r, cy + r], fill=lit_t)
            rc = r * 0.55
            dr.ellipse([cx - rc, cy - rc, cx + rc, cy + rc], fill=core_t)
        gr = r / SS * (1.0 if arrow else 1.1)
        gcx, gcy = cx / SS, cy / SS
        g = tuple(int(v * st["glow"] * min(1.0, lamp_gain)) for v in lit)
        dg.ellipse([gcx - gr, gcy - gr, gcx + gr, gcy + gr], fill=g)
        if st.get("halo", 0.0) > 0:  # wide bloom of an over-exposed lamp at night
            hr = gr * (1.6 + st["halo"])
            h_col = tuple(int(v * 0.35 * st["halo"] * min(1.0, lamp_gain)) for v in lit)
            dg.ellipse([gcx - hr, gcy - hr, gcx + hr, gcy + hr], fill=h_col)


def _draw_unlit_view(dr, da, light, st, x0, y0, x1, y1, s):
    """A housing seen from the side or the back (supersampled coordinates; the box is x0..x1, y0..y1).

    side: the body (st["depth"] of the box width) on the back side, three visors, one per lamp, sticking out of its
    front face as tapering wedges, in the housing colour or black (st["visor_colour"]). back: the closed housing
    with a lit rim, its door panel and two hinges. A plate behind the housing is seen edge-on from the side (a thin bar)."""
    body_col = st["housing"]
    shade = tuple(int(c * 0.78) for c in body_col)
    if light.view == "side":
        span = x1 - x0
        depth = st.get("depth", 0.6) * span
        facing_right = st.get("facing", 1) > 0
        bx0, bx1 = (x0, x0 + depth) if facing_right else (x1 - depth, x1)
        face = bx1 if facing_right else bx0
        tip = x1 if facing_right else x0
        rad = 0.12 * s * SS
        dr.rounded_rectangle([bx0, y0, bx1, y1], radius=rad, fill=body_col)
        da.rounded_rectangle([bx0, y0, bx1, y1], radius=rad, fill=255)
        edge = max(1.0, 0.1 * depth)  # the sunlit or shaded edge of the body
        ex = bx0 if st.get("lit_edge", 1) > 0 else bx1 - edge
        dr.rectangle([ex, y0 + rad, ex + edge, y1 - rad], fill=tuple(min(255, int(c * 1.25 + 10)) for c in body_col))
        if st["plate"]:
            back = bx0 if facing_right else bx1
            pw = max(0.7 * SS, 0.08 * s * SS)
            p = 0.28 * s * SS
            dr.rectangle([back - pw, y0 - p, back, y1 + p], fill=(8, 8, 8))
            da.rectangle([back - pw, y0 - p, back, y1 + p], fill=255)
        visor = st.get("visor_colour") or shade
        cell = (y1 - y0) / 3
        for i in range(3):
            top = y0 + i * cell + 0.06 * cell
            base = 0.72 * cell  # height where it leaves the face
            end = 0.28 * cell  # height at its tip
            droop = 0.18 * cell
            poly = [(face, top), (tip, top + droop), (tip, top + droop + end), (face, top + base)]
            dr.polygon(poly, fill=visor)
            da.polygon(poly, fill=255)
    else:
        rad = 0.15 * s * SS
        rim = tuple(min(255, int(c * 1.3 + 25)) for c in body_col)  # its edge catches the light
        dr.rounded_rectangle([x0, y0, x1, y1], radius=rad, fill=body_col, outline=rim,
                             width=max(1, int(0.06 * s * SS)))
        da.rounded_rectangle([x0, y0, x1, y1], radius=rad, fill=255)
        inset = 0.14 * s * SS
        dr.rounded_rectangle([x0 + inset, y0 + inset, x1 - inset, y1 - inset], radius=rad * 0.6, fill=shade)
        hw = max(0.8 * SS, 0.1 * s * SS)
        for fy in (0.25, 0.75):  # two hinges on the left edge
            hy = y0 + fy * (y1 - y0)
            dr.rectangle([x0 - 0.3 * hw, hy - hw, x0 + 0.7 * hw, hy + hw], fill=tuple(int(c * 0.6) for c in body_col))


def render_light(canvas, glow_canvas, light, rendered_state=None, lamp_gain=1.0):
    """Draws `light` onto `canvas` (float32 HxWx3, modified in place) and its glow into `glow_canvas`.

    `rendered_state` lets sequences draw a state different from the label (a misread frame); `lamp_gain`
    scales the lit lamp (0 = lamp invisible, used for flashing and dropouts).
    """
    st = light.style
    state = rendered_state or light.state
    H, W = canvas.shape[:2]
    w, h = light.w, light.h
    s = min(w, h)
    plate = 0.28 * s if st["plate"] else 0.0
    pad = int(math.ceil(plate + 0.9 * s)) + 2
    ox, oy = int(math.floor(light.x)) - pad, int(math.floor(light.y)) - pad
    fx, fy = light.x - math.floor(light.x), light.y - math.floor(light.y)
    cw, chh = int(math.ceil(w + fx)) + 2 * pad, int(math.ceil(h + fy)) + 2 * pad
    rgb = Image.new("RGB", (cw * SS, chh * SS), (0, 0, 0))
    alpha = Image.new("L", (cw * SS, chh * SS), 0)
    glow = Image.new("RGB", (cw, chh), (0, 0, 0))
    dr, da, dg = ImageDraw.Draw(rgb), ImageDraw.Draw(alpha), ImageDraw.Draw(glow)
    x0, y0 = (pad + fx) * SS, (pad + fy) * SS
    x1, y1 = x0 + w * SS, y0 + h * SS
    if plate > 0 and light.view != "side":  # seen from the side, the plate is a thin bar (_draw_unlit_view)
        p = plate * SS
        dr.rectangle([x0 - p, y0 - p, x1 + p, y1 + p], fill=(8, 8, 8))
        da.rectangle([x0 - p, y0 - p, x1 + p, y1 + p], fill=255)
        if st["plate_border"]:
            bw = max(1, int(0.07 * s * SS))
            col = (235, 235, 220) if st["hue"][0] > 0 else (230, 200, 30)
            dr.rectangle([x0 - p, y0 - p, x1 + p, y1 + p], outline=col, width=bw)
    if light.view == "front":
        _draw_front(dr, da, dg, light, st, state, x0, y0, x1, y1, s, lamp_gain)
    else:  # no lamp faces the camera
        _draw_unlit_view(dr, da, light, st, x0, y0, x1, y1, s)
    rgb = np.asarray(rgb.reduce(SS), dtype=np.float32)
    a = np.asarray(alpha.reduce(SS), dtype=np.float32)[..., None] / 255.0
    if st["glow"] > 0:
        glow = glow.filter(ImageFilter.GaussianBlur(radius=max(0.8, 0.35 * s)))
    g = np.asarray(glow, dtype=np.float32)
    # paste with clipping to the canvas
    cx0, cy0 = max(0, ox), max(0, oy)
    cx1, cy1 = min(W, ox + cw), min(H, oy + chh)
    if cx1 <= cx0 or cy1 <= cy0:
        return
    sx0, sy0 = cx0 - ox, cy0 - oy
    sl = (slice(sy0, sy0 + cy1 - cy0), slice(sx0, sx0 + cx1 - cx0))
    region = canvas[cy0:cy1, cx0:cx1]
    region[:] = region * (1 - a[sl]) + rgb[sl] * a[sl]
    glow_canvas[cy0:cy1, cx0:cx1] += g[sl]


def _sample_short(rng, lo=MIN_SHORT, hi=MAX_SHORT):
    # log-uniform: small lights are common on the road and the hard case
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


STATE_P = np.array([0.22, 0.15, 0.22, 0.13, 0.13, 0.15])


def sample_state(rng, short):
    st = STATES[int(rng.choice(len(STATES), p=STATE_P))]
    if st.endswith("_left") and short < ARROW_MIN_SHORT:
        st = st.split("_")[0]
    return st


def _iou_any(box, boxes, margin=1.0):
    x, y, w, h = box
    for bx, by, bw, bh in boxes:
        if x - margin < bx + bw and bx - margin < x + w and y - margin < by + bh and by - margin < y + h:
            return True
    return False


def _place_scatter(rng, size, taken, tod, n, horizon):
    lights = []
    for _ in range(n):
        for _try in range(30):
            s = _sample_short(rng)
            style = _light_style(rng, tod)
            vertical = rng.random() < 0.7
            L = s * style["ratio"]
            w, h = (s, L) if vertical else (L, s)
            x, y = rng.uniform(2, size - w - 2), rng.uniform(2, max(3, min(size - h - 2, horizon + 30 - h)))
            if _iou_any((x, y, w, h), taken, margin=0.4 * s + 2):
                continue
            taken.append((x, y, w, h))
            lights.append(Light(x, y, w, h, sample_state(rng, s), "vertical" if vertical else "horizontal",
                                style=style))
            break
    return lights


def _place_row(rng, size, taken, tod, row_id, n=None, dense=True):
    """A row of same-size housings side by side (on a mast arm): the case naive NMS gets wrong."""
    s = _sample_short(rng, 6.0, 26.0)
    vertical = rng.random() < 0.75
    style0 = _light_style(rng, tod)
    L = s * style0["ratio"]
    w, h = (s, L) if vertical else (L, s)
    n = n or int(rng.integers(3, 9))
    if dense:
        gap = rng.uniform(-0.3, 0.35) * w if rng.random() < 0.6 else rng.uniform(0.0, 0.15) * w
    else:
        gap = rng.uniform(0.3, 2.0) * w
    total = n * w + (n - 1) * gap
    while total > size - 6 and n > 2:
        n -= 1
        total = n * w + (n - 1) * gap
    if total > size - 6:
        return [], None
    for _try in range(20):
        x0 = rng.uniform(3, size - total - 3)
        y0 = rng.uniform(3, size * 0.65 - h) if size * 0.65 - h > 3 else 3
        box = (x0, y0, total, h)
        if not _iou_any(box, taken, margin=2):
            break
    else:
        return [], None
    taken.append(box)
    lights = []
    same_state = rng.random() < 0.35
    base_state = sample_state(rng, s)
    for i in range(n):
        style = dict(style0) if rng.random() < 0.8 else _light_style(rng, tod)
        style["ratio"] = style0["ratio"]
        st = base_state if same_state else sample_state(rng, s)
        x = x0 + i * (w + gap) + rng.uniform(-0.04, 0.04) * w
        y = y0 + rng.uniform(-0.06, 0.06) * h
        lights.append(Light(x, y, w, h, st, "vertical" if vertical else "horizontal", row=row_id, style=style))
    arm = (x0 - rng.uniform(0, 40), y0 - max(1.5, 0.15 * s), x0 + total + rng.uniform(0, 40), y0)
    return lights, arm


def _mark_occlusion(lights):
    # later lights in a row are drawn over earlier ones; flag lights whose box is covered by > 10 %
    for i, a in enumerate(lights):
        for b in lights[i + 1:]:
            ix = max(0.0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
            iy = max(0.0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
            if ix * iy > 0.1 * a.w * a.h:
                a.occluded = True


def _photometric(rng, img, glow, tod, strength=1.0):
    """Glow, exposure, colour gains, blur and sensor noise. img, glow: float32 HxWx3."""
    img = img + glow
    gain = 1.0 + (rng.uniform(0.65, 1.35) - 1.0) * strength if strength else 1.0
    col = 1.0 + (rng.uniform(0.88, 1.12, 3) - 1.0) * strength if strength else np.ones(3)
    img = img * gain * col[None, None, :]
    if strength and rng.random() < 0.15 * strength:  # low contrast haze
        img = img * 0.75 + rng.uniform(40, 120) * 0.25
    img = np.clip(img, 0, 255)
    pil = Image.fromarray(img.astype(np.uint8))
    if strength and rng.random() < 0.55:
        pil = pil.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(0.3, 1.1))))
    out = np.asarray(pil, dtype=np.float32)
    if strength and rng.random() < 0.7:
        sigma = rng.uniform(1.0, 7.0 if tod != "night" else 9.0) * strength
        out = out + rng.normal(0.0, sigma, out.shape).astype(np.float32)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def compose(rng, size, tod, bg, d, glows, lights, arms):
    """Draws supports (poles, mast arms) and distractor glows; returns (canvas, glow) float32 arrays."""
    pole_col = (40, 40, 40) if tod not in ("night",) else (12, 12, 14)
    for L in lights:
        if L.row < 0 and rng.random() < 0.7:
            wpx = max(1, int(0.25 * L.short))
            cx = L.x + L.w / 2
            d.rectangle([cx - wpx / 2, L.y + L.h, cx + wpx / 2, size], fill=pole_col)
    for (ax0, ay0, ax1, ay1) in arms:
        d.rectangle([ax0, ay0, ax1, ay1], fill=pole_col)
    canvas = np.asarray(bg, dtype=np.float32).copy()
    glow = np.zeros_like(canvas)
    for (gx, gy, gr, gc, gs) in glows:
        gimg = Image.new("RGB", (size, size), (0, 0, 0))
        ImageDraw.Draw(gimg).ellipse([gx - gr * 0.5, gy - gr * 0.5, gx + gr * 0.5, gy + gr * 0.5],
                                     fill=tuple(int(c * gs) for c in gc))
        glow += np.asarray(gimg.filter(ImageFilter.GaussianBlur(radius=max(1.0, gr * 0.5))), dtype=np.float32)
    return canvas, glow


def varied_background(vr, bg, size, tod):
    """Texture and clutter over the drawn background: smooth value noise, foliage (green and dark blobs, a
    hard negative for green lamps), random coloured panels. bg: PIL image, modified in place."""
    night = tod in ("night", "dusk")
    d = ImageDraw.Draw(bg)
    for _ in range(int(vr.integers(0, 5))):  # coloured panels / billboards
        x, y = vr.uniform(-20, size), vr.uniform(-20, size)
        w, h = vr.uniform(10, 90), vr.uniform(10, 70)
        col = vr.uniform(0, 255, 3) * (0.4 if night else 1.0)
        d.rectangle([x, y, x + w, y + h], fill=tuple(int(v) for v in col))
    if vr.random() < 0.45:  # foliage
        for _ in range(int(vr.integers(20, 120))):
            x, y, r = vr.uniform(0, size), vr.uniform(0, size * 0.8), vr.uniform(2, 14)
            g = vr.uniform([10, 40, 5], [90, 160, 70]) * (0.35 if night else 1.0)
            d.ellipse([x - r, y - r, x + r, y + r], fill=tuple(int(v) for v in g))
    arr = np.asarray(bg, dtype=np.float32)
    if vr.random() < 0.6:  # low-frequency value noise (texture, shading)
        cells = int(vr.integers(3, 12))
        noise = vr.normal(0, 1, (cells, cells, 1)).astype(np.float32)
        noise = np.asarray(Image.fromarray(((noise[..., 0] + 3) * 40).clip(0, 255).astype(np.uint8)).resize(
            (size, size), Image.BICUBIC), dtype=np.float32)[..., None] / 40.0 - 3.0
        arr = arr * (1.0 + 0.12 * noise)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def varied_photometric(vr, img):
    """Extra degradations after _photometric: gamma, white balance, motion or defocus blur, resolution loss,
    chroma noise. img: uint8 HxWx3."""
    out = img.astype(np.float32) / 255.0
    out = out ** float(np.exp(vr.normal(0, 0.2)))
    out = out * vr.uniform(0.8, 1.2, 3)[None, None, :].astype(np.float32) * float(vr.uniform(0.75, 1.3))
    pil = Image.fromarray((np.clip(out, 0, 1) * 255 + 0.5).astype(np.uint8))
    u = vr.random()
    if u < 0.2:  # motion blur along x or y
        k = int(vr.integers(3, 6))
        kernel = np.zeros((k, k), dtype=np.float32)
        if vr.random() < 0.5:
            kernel[k // 2, :] = 1
        else:
            kernel[:, k // 2] = 1
        if k in (3, 5):
            pil = pil.filter(ImageFilter.Kernel((k, k), kernel.ravel().tolist(), scale=float(kernel.sum())))
    elif u < 0.35:
        pil = pil.filter(ImageFilter.GaussianBlur(radius=float(vr.uniform(1.0, 1.8))))
    if vr.random() < 0.25:  # resolution loss: down and up again
        f = float(vr.uniform(0.4, 0.75))
        w, h = pil.size
        pil = pil.resize((max(8, int(w * f)), max(8, int(h * f))), Image.BILINEAR).resize((w, h), Image.BILINEAR)
    out = np.asarray(pil, dtype=np.float32)
    if vr.random() < 0.4:  # chroma noise
        out = out + vr.normal(0, vr.uniform(2, 8), out.shape).astype(np.float32)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


LOOKS = ("classic", "varied")
VIEWS = ("front", "side", "back")


def assign_views(wr, lights, views, size, tod):
    """Turns a share `views` of the lights away from the camera (wr: the views' own generator).

    A scattered vertical light is seen from the side 6 times in 10 (its box widened 0.8-1.3x around the same centre
    to hold the visors), otherwise from the back; a row on a mast arm is seen from the back as a whole. Such lights
    are often the yellow-painted or grey housings of North American and European streets, so a third of them get
    one. Their label keeps the drawn state, but no lamp shows it: training uses them as "a light, state unknown"."""
    night = tod in ("night", "dusk")
    row_view = {}
    for L in lights:
        if L.row >= 0:
            if L.row not in row_view:
                row_view[L.row] = "back" if wr.random() < views else "front"
            view = row_view[L.row]
        elif wr.random() < views:
            view = "side" if L.orientation == "vertical" and wr.random() < 0.6 else "back"
        else:
            continue
        if view == "front":
            continue
        st = dict(L.style)
        u = wr.random()
        if u < 0.22:
            st["housing"] = tuple(int(v) for v in wr.uniform([150, 120, 10], [220, 180, 40]) * (0.55 if night else 1))
        elif u < 0.33:
            g = wr.uniform(90, 170) * (0.5 if night else 1.0)
            st["housing"] = (int(g), int(g), int(g + wr.uniform(0, 10)))
        st["depth"] = float(wr.uniform(0.45, 0.7))
        st["facing"] = 1 if wr.random() < 0.5 else -1
        st["lit_edge"] = 1 if wr.random() < 0.5 else -1
        st["visor_colour"] = (int(wr.uniform(8, 30)),) * 3 if wr.random() < 0.4 else None
        if view == "side":
            w = L.w * float(wr.uniform(0.8, 1.3))
            cx = L.x + L.w / 2
            L.x = float(min(max(1.0, cx - w / 2), size - w - 1))
            L.w = w
        L.style, L.view = st, view


def generate_scene(seed, size=320, dense=None, photometric=True, look="classic", views=0.0):
    """Returns (uint8 HxWx3 RGB image, list of Light, meta dict). Deterministic in `seed` (and `look`, `views`).

    look="classic" is the original renderer (the committed validation set); look="varied" draws the same scene
    layout with the varied look (see varied_style), from a second generator seeded by [seed, 77]. views > 0 turns
    that share of the lights to the side or the back (assign_views), from a third generator seeded by [seed, 91];
    views=0 (the default) leaves every scene exactly as before.
    """
    if look not in LOOKS:
        raise ValueError(f"expected look in {LOOKS}, got {look!r}")
    if not 0.0 <= views <= 1.0:
        raise ValueError(f"expected views (a share of the lights) in [0, 1], got {views!r}")
    rng = np.random.default_rng(seed)
    vr = np.random.default_rng([seed, 77]) if look == "varied" else None
    tod = TIMES[int(rng.choice(len(TIMES), p=TIME_P))]
    if dense is None:
        dense = rng.random() < 0.35
    glows = []
    bg, d, horizon = _draw_background(rng, size, tod, glows)
    _distractors(rng, bg, d, size, tod, horizon, glows, int(rng.integers(2, 12)))
    taken, lights, arms = [], [], []
    if dense:
        for r in range(int(rng.integers(1, 3))):
            row, arm = _place_row(rng, size, taken, tod, r, dense=True)
            lights += row
            if arm:
                arms.append(arm)
        lights += _place_scatter(rng, size, taken, tod, int(rng.integers(0, 4)), horizon)
    else:
        if rng.random() < 0.3:
            row, arm = _place_row(rng, size, taken, tod, 0, n=int(rng.integers(2, 4)), dense=False)
            lights += row
            if arm:
                arms.append(arm)
        lights += _place_scatter(rng, size, taken, tod, int(rng.integers(0, 7)), horizon)
    if vr is not None:
        for L in lights:
            L.style = varied_style(vr, L.style, tod)
    if views > 0:
        assign_views(np.random.default_rng([seed, 91]), lights, views, size, tod)
    canvas, glow = compose(rng, size, tod, bg, d, glows, lights, arms)
    if vr is not None:
        canvas = np.asarray(varied_background(vr, Image.fromarray(canvas.astype(np.uint8)), size, tod),
                            dtype=np.float32).copy()
        # the supports were drawn before the texture; the lights are drawn after it
    _mark_occlusion(lights)
    for L in lights:
        render_light(canvas, glow, L)
    img = _photometric(rng, canvas, glow, tod, 1.0 if photometric else 0.0)
    if vr is not None and photometric:
        img = varied_photometric(vr, img)
    meta = {"seed": int(seed), "time_of_day": tod, "dense": bool(dense), "look": look}
    if views > 0:
        meta["views"] = float(views)
    return img, lights, meta
