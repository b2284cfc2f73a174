#!/usr/bin/python3
"""Writes the 14 camera-like JPEGs of 3-12 MP (71 MP in all) that the CLI figures of docs/benchmarks.md use.

    /usr/bin/python3 bench/make_camera_set.py target/camera14

Each is one of the sample photos (functions/src/test/resources/images, the first again as the 14th), upscaled
to its size with mild noise so the JPEG carries a camera-like amount of detail, saved at quality 92 with the
source's EXIF block, so EXIF parsing costs what it costs on camera files. Deterministic (fixed seed).
Needs Debian's python3-pil and python3-numpy.
"""
import sys
from pathlib import Path

import numpy as np
from PIL import Image

SOURCES = Path(__file__).resolve().parent.parent / "functions" / "src" / "test" / "resources" / "images"
MEGAPIXELS = (3.0, 3.0, 3.2, 3.5, 3.8, 4.0, 4.3, 4.6, 5.0, 5.0, 5.4, 6.0, 8.2, 12.0)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/camera14")
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    sources = sorted(SOURCES.glob("*.jpg"))
    sources.append(sources[0])
    total = 0
    for i, (source_path, megapixels) in enumerate(zip(sources, MEGAPIXELS)):
        with Image.open(source_path) as source:
            exif = source.info.get("exif", b"")
            image = source.convert("RGB")
        # 4:3 frames, landscape or portrait as the source.
        long_side = round((megapixels * 1e6 * 4 / 3) ** 0.5)
        short_side = round(megapixels * 1e6 / long_side)
        size = (long_side, short_side) if image.width >= image.height else (short_side, long_side)
        pixels = np.asarray(image.resize(size, Image.BICUBIC), dtype=np.int16)
        pixels = pixels + rng.integers(-6, 7, pixels.shape, dtype=np.int16)
        name = out / f"{i + 1:02d}_{source_path.stem}.jpg"
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(name, quality=92, exif=exif)
        total += size[0] * size[1]
    print(f"{len(MEGAPIXELS)} JPEGs, {total / 1e6:.1f} MP, in {out}")


if __name__ == "__main__":
    main()
