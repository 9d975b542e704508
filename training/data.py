"""Training batches generated on the fly, deterministic in the step index (so a resumed run sees the same data).

Scene seeds are TRAIN_SEED0 + step * batch + j; the validation set and the sequences use seeds < 10,000.
Each image goes through a JPEG round trip (quality 70-95), as the committed and deployed images are JPEGs.
No flips: a horizontal flip would turn a left arrow into a right arrow.
"""

import io

import numpy as np
import torch
from PIL import Image

from common import STATE_INDEX
from scenes import generate_scene

TRAIN_SEED0 = 10_000_000


def make_sample(seed, size=320):
    img, lights, _ = generate_scene(seed, size=size)
    q = int(np.random.default_rng([seed, 1]).integers(70, 96))
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=q)
    img = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    boxes = np.array([[(L.x + L.w / 2) / size, (L.y + L.h / 2) / size, L.w / size, L.h / size] for L in lights],
                     dtype=np.float32).reshape(-1, 4)
    labels = np.array([STATE_INDEX[L.state] for L in lights], dtype=np.int64)
    return img, boxes, labels


def make_batch(step, batch, seed0=TRAIN_SEED0):
    imgs, targets = [], []
    for j in range(batch):
        img, boxes, labels = make_sample(seed0 + step * batch + j)
        imgs.append(img)
        targets.append({"boxes": torch.from_numpy(boxes), "labels": torch.from_numpy(labels)})
    x = torch.from_numpy(np.stack(imgs)).permute(0, 3, 1, 2).contiguous()  # uint8 [B, 3, H, W]
    return x, targets


class BatchStream(torch.utils.data.IterableDataset):
    def __init__(self, start, stop, batch, offset=0):
        super().__init__()
        self.start, self.stop, self.batch, self.offset = start, stop, batch, offset

    def __iter__(self):
        for step in range(self.start, self.stop):
            x, t = make_batch(step + self.offset, self.batch)
            yield step, x, t


def loader(start, stop, batch, workers=1, offset=0):
    """Batches of steps start..stop-1; step s uses the scenes of data step s + offset (a fine-tuning stage passes
    the length of the stage before it, so it sees new scenes)."""
    ds = BatchStream(start, stop, batch, offset)
    if workers == 0:
        return iter(ds)
    return iter(torch.utils.data.DataLoader(ds, batch_size=None, num_workers=1, prefetch_factor=3,
                                            persistent_workers=False))
