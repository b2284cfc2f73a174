#!/usr/bin/python3
"""The two Python baselines of the CLI figures (docs/benchmarks.md), one process, one file after another.

    /usr/bin/python3 bench/python_floor.py decode  target/camera14   # libjpeg-turbo full decode per file
    /usr/bin/python3 bench/python_floor.py lightly target/camera14   # Lightly's computation per file

decode: Pillow's Image.open(f).load(), which is libjpeg-turbo (Debian's python3-pil links libjpeg62-turbo)
decoding every pixel, nothing else. lightly: what Lightly's uploader computes per image (as golden_values.py
documents): Pillow decode, RGB conversion, numpy mean/std/sums/squares per channel of pixel/255, snr, the
3x3 Laplacian sharpness of the grey image, EXIF, and a 128-px WebP thumbnail.
"""
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

LAPLACIAN = ImageFilter.Kernel((3, 3), (-1, -1, -1, -1, 8, -1, -1, -1, -1), 1, 0)


def decode(path):
    with Image.open(path) as image:
        image.load()


def lightly(path):
    with Image.open(path) as opened:
        exif = dict(opened.getexif())
        image = opened.convert("RGB")
    pixels = np.array(image) / 255.0
    raw = np.asanyarray(image)
    raw_std = raw.std()
    metadata = {
        "mean": pixels.mean(axis=(0, 1)).tolist(),
        "std": pixels.std(axis=(0, 1)).tolist(),
        "sumOfValues": pixels.sum(axis=(0, 1)).tolist(),
        "sumOfSquares": (pixels ** 2).sum(axis=(0, 1)).tolist(),
        "snr": float(np.where(raw_std == 0.0, 0, raw.mean() / raw_std)),
        "sharpness": float(np.std(image.convert("L").filter(LAPLACIAN))),
        "exifTags": len(exif),
    }
    thumbnail = image.copy()
    thumbnail.thumbnail((128, 128))
    thumbnail.save(io.BytesIO(), "WEBP")
    return metadata


def main():
    work = {"decode": decode, "lightly": lightly}[sys.argv[1]]
    files = sorted(Path(sys.argv[2]).glob("*.jpg"))
    for path in files:
        work(path)
    print(f"{sys.argv[1]}: {len(files)} files", file=sys.stderr)


if __name__ == "__main__":
    main()
