#!/usr/bin/python3
"""Computes Lightly's sample metadata for the test fixtures, the way Lightly's uploader did.

The uploader opened each file with Pillow, converted it to RGB (no EXIF rotation) and computed the
statistics with numpy (lightly_utils.image_processing.metadata): mean/std/sums of pixel/255 per channel,
snr = mean/std of the raw uint8 array, sharpness = std of the grey image filtered with a 3x3 Laplacian
kernel (Pillow's ImageFilter.Kernel, which clamps to 0..255 and keeps the border pixels).
sizeInBytes is the file size.

    /usr/bin/python3 functions/src/test/python/golden_values.py
writes src/test/resources/golden-metadata.json (keys: paths relative to src/test/resources); entries of
the sample photos also carry a few EXIF tags as Pillow reads them, to cross-check the EXIF reader.
Needs Debian's python3-pil and python3-numpy (not a pyenv interpreter).
"""
import json
from pathlib import Path

import numpy as np
import PIL
from PIL import ExifTags, Image, ImageFilter

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
FOLDERS = ("images", "images-edge")
SKIP = {"truncated.jpg", "huge_dimensions.png"}  # rejected by design, no metadata
# EXIF tags cross-checked against Pillow (text NUL-stripped and trimmed, rationals as floats).
EXIF_TAGS = ("Make", "Model", "Orientation", "DateTime", "XResolution", "ExposureTime", "FNumber",
             "ISOSpeedRatings", "DateTimeOriginal")


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


def exif_summary(path):
    with Image.open(path) as image:
        exif = image.getexif()
    tags = {ExifTags.TAGS.get(k, k): v for k, v in list(exif.items()) + list(exif.get_ifd(0x8769).items())}
    summary = {}
    for name in EXIF_TAGS:
        value = tags.get(name)
        if isinstance(value, str):
            value = value.replace("\0", "").strip() or None
        elif value is not None and not isinstance(value, int):
            value = float(value)
        if value is not None:
            summary[name] = value
    gps = exif.get_ifd(0x8825)
    if 2 in gps and 4 in gps:
        for key, ref_key, degrees_key, negative in (("GPSLatitude", 1, 2, "S"), ("GPSLongitude", 3, 4, "W")):
            d, m, sec = (float(v) for v in gps[degrees_key])
            value = d + m / 60 + sec / 3600
            summary[key] = -value if str(gps.get(ref_key, "")).upper().startswith(negative) else value
    return summary


def main():
    golden = {"_generator": f"golden_values.py, Pillow {PIL.__version__}, numpy {np.__version__}"}
    for folder in FOLDERS:
        for path in sorted((RESOURCES / folder).iterdir()):
            if path.suffix.lower() in (".md",) or path.name in SKIP:
                continue
            entry = lightly_metadata(path)
            if folder == "images":
                entry["exif"] = exif_summary(path)
            golden[f"{folder}/{path.name}"] = entry
    out = RESOURCES / "golden-metadata.json"
    out.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {len(golden) - 1} entries to {out}")


if __name__ == "__main__":
    main()
