#!/usr/bin/python3
"""Computes Lightly's sample metadata for the test fixtures, the way Lightly's uploader did.

The uploader opened each file with Pillow, converted it to RGB (no EXIF rotation) and computed the
statistics with numpy (lightly_utils.image_processing.metadata): mean/std/sums of pixel/255 per channel,
snr = mean/std of the raw uint8 array, sharpness = std of the grey image filtered with a 3x3 Laplacian
kernel (Pillow's ImageFilter.Kernel, which clamps to 0..255 and keeps the border pixels).
sizeInBytes is the file size.

    /usr/bin/python3 functions/src/test/python/golden_values.py
writes src/test/resources/golden-metadata.json (keys: paths relative to src/test/resources).
Needs Debian's python3-pil and python3-numpy (not a pyenv interpreter).
"""
import json
from pathlib import Path

import numpy as np
import PIL
from PIL import Image, ImageFilter

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
FOLDERS = ("images", "images-edge")
SKIP = {"truncated.jpg", "huge_dimensions.png"}  # rejected by design, no metadata


def lightly_metadata(path):
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    pixels = np.array(image) / 255.0
    raw = np.asanyarray(image)
    raw_std = raw.std()
    laplacian = ImageFilter.Kernel((3, 3), (-1, -1, -1, -1, 8, -1, -1, -1, -1), 1, 0)
    return {
        "shape": list(pixels.shape),
        "mean": pixels.mean(axis=(0, 1)).tolist(),
        "std": pixels.std(axis=(0, 1)).tolist(),
        "sumOfValues": pixels.sum(axis=(0, 1)).tolist(),
        "sumOfSquares": (pixels ** 2).sum(axis=(0, 1)).tolist(),
        "snr": float(np.where(raw_std == 0.0, 0, raw.mean() / raw_std)),
        "sharpness": float(np.std(image.convert("L").filter(laplacian))),
        "sizeInBytes": path.stat().st_size,
    }


def main():
    golden = {"_generator": f"golden_values.py, Pillow {PIL.__version__}, numpy {np.__version__}"}
    for folder in FOLDERS:
        for path in sorted((RESOURCES / folder).iterdir()):
            if path.suffix.lower() in (".md",) or path.name in SKIP:
                continue
            golden[f"{folder}/{path.name}"] = lightly_metadata(path)
    out = RESOURCES / "golden-metadata.json"
    out.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {len(golden) - 1} entries to {out}")


if __name__ == "__main__":
    main()
