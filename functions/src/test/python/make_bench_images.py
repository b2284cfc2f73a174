#!/usr/bin/python3
"""Writes large JPEGs for `BenchCommand` (not committed: 12 MP is ~5 MB, 50 MP ~20 MB).

    /usr/bin/python3 functions/src/test/python/make_bench_images.py /tmp/bench-images

Upscales a sample photo to 4000x3000 (12 MP) and 8660x5774 (50 MP) and adds mild noise so the JPEG
carries a camera-like amount of detail (a plain upscale compresses, and so decodes, unrealistically fast).
"""
import sys
from pathlib import Path

import numpy as np
from PIL import Image

SOURCE = Path(__file__).resolve().parent.parent / "resources" / "images" / "Kodak_DX4330.jpg"
SIZES = {"bench_12mp.jpg": (4000, 3000), "bench_50mp.jpg": (8660, 5774)}


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench-images")
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    source = Image.open(SOURCE).convert("RGB")
    for name, size in SIZES.items():
        pixels = np.asarray(source.resize(size, Image.BICUBIC), dtype=np.int16)
        pixels = pixels + rng.integers(-6, 7, pixels.shape, dtype=np.int16)
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out / name, quality=90)
        print(out / name, (out / name).stat().st_size)


if __name__ == "__main__":
    main()
