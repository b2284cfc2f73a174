#!/usr/bin/python3
"""Writes the edge-case image fixtures into src/test/resources/images-edge/.

Run from anywhere with Debian's Pillow and numpy (apt-get install python3-pil python3-numpy):
    /usr/bin/python3 functions/src/test/python/make_fixtures.py
The output is deterministic (fixed seed), so re-running it only rewrites identical files
(up to encoder version differences).
linear_rgb.icc is the JDK's built-in linear-RGB profile (java.awt.color.ICC_Profile CS_LINEAR_RGB),
used as a non-sRGB profile that Pillow ignores and a colour-managed decoder applies.
"""
import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "resources" / "images-edge"
PHOTO = HERE.parent / "resources" / "images" / "FujiFilm_MX1700.jpg"
rng = np.random.default_rng(20240601)


def photo(width, height):
    return Image.open(PHOTO).convert("RGB").resize((width, height), Image.LANCZOS)


def noisy(width, height, channels):
    y, x = np.mgrid[0:height, 0:width]
    base = (x * 255 // max(width - 1, 1) + y * 97 // max(height - 1, 1)) % 256
    layers = [(base + rng.integers(-40, 40, base.shape) + 60 * c) % 256 for c in range(channels)]
    return np.stack(layers, axis=-1).astype(np.uint8)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width, height, bit_depth, colour_type, raw_rows):
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(raw_rows)) + png_chunk(b"IEND", b""))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    # PNGs: exact Pillow/JDK agreement is expected on every one of these.
    Image.fromarray(noisy(67, 41, 3), "RGB").save(OUT / "rgb.png")
    Image.fromarray(noisy(53, 37, 1)[:, :, 0], "L").save(OUT / "grey.png")
    Image.fromarray(noisy(45, 31, 4), "RGBA").save(OUT / "rgba.png")
    pal = Image.fromarray(noisy(40, 30, 3), "RGB").quantize(16)
    pal.save(OUT / "palette_transparency.png", transparency=3)
    grey16 = (np.linspace(0, 65535, 48 * 32).reshape(32, 48)).astype(">u2")
    raw = b"".join(b"\x00" + row.tobytes() for row in grey16)
    (OUT / "grey16.png").write_bytes(png_bytes(48, 32, 16, 0, raw))
    rgb16 = rng.integers(0, 65536, (29, 39, 3)).astype(">u2")
    raw = b"".join(b"\x00" + row.tobytes() for row in rgb16)
    (OUT / "rgb16.png").write_bytes(png_bytes(39, 29, 16, 2, raw))
    # 1 KB PNG declaring 100000 x 100000 pixels (valid CRCs, a few bytes of real data).
    (OUT / "huge_dimensions.png").write_bytes(png_bytes(100000, 100000, 8, 0, b"\x00" * 1000))

    # JPEGs
    photo(160, 120).save(OUT / "progressive.jpg", quality=90, progressive=True)
    photo(96, 72).convert("L").save(OUT / "grey.jpg", quality=90)
    icc = (HERE / "linear_rgb.icc").read_bytes()
    photo(96, 72).save(OUT / "icc_linear_rgb.jpg", quality=90, icc_profile=icc)
    cmyk = Image.fromarray(noisy(64, 48, 4), "CMYK")
    cmyk.save(OUT / "cmyk.jpg", quality=90)
    full = (HERE.parent / "resources" / "images" / "FujiFilm_MX1700.jpg").read_bytes()
    (OUT / "truncated.jpg").write_bytes(full[: len(full) * 6 // 10])
    small = io.BytesIO()
    photo(32, 24).save(small, "JPEG", quality=85)
    jpeg = small.getvalue()
    garbage_tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x05" + bytes(rng.integers(0, 256, 120, dtype=np.uint8))
    app1 = b"Exif\x00\x00" + garbage_tiff
    (OUT / "garbage_exif.jpg").write_bytes(jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:])

    # Other formats Lightly accepted.
    small_rgb = photo(48, 36)
    small_rgb.save(OUT / "image.bmp")
    small_rgb.save(OUT / "image.tif", compression="tiff_deflate")
    small_rgb.save(OUT / "lossless.webp", lossless=True)
    small_rgb.save(OUT / "lossy.webp", quality=90)
    small_rgb.save(OUT / "image.ppm")
    small_rgb.convert("L").save(OUT / "image.pgm")
    frames = [small_rgb.quantize(32), small_rgb.rotate(90).quantize(32)]
    frames[0].save(OUT / "animated.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)


if __name__ == "__main__":
    main()
