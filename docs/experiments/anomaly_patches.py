#!/usr/bin/env python3
"""Cuts 64 x 64 patches from a gray photograph for docs/experiments/anomalies.sh: training patches (flipped and
rotated) from the top three quarters, held-out normal patches from the bottom quarter, and the same held-out
patches with one synthetic defect each (a bright scratch, a dark spot, or a blur). Needs only numpy; PNGs are read
and written here with zlib (8-bit gray, the photograph's format)."""
import os
import struct
import sys
import zlib

import numpy as np

SIZE, STRIDE = 64, 16


def read_gray_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color == 0 and interlace == 0, "8-bit gray, not interlaced"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    out = np.zeros((height, width), np.int32)
    prev = np.zeros(width, np.int32)
    for y in range(height):
        row = raw[y * (width + 1):(y + 1) * (width + 1)]
        f, line = row[0], np.frombuffer(row[1:], np.uint8).astype(np.int32)
        cur = np.zeros(width, np.int32)
        for x in range(width):
            a = cur[x - 1] if x > 0 else 0
            b = prev[x]
            c = prev[x - 1] if x > 0 else 0
            if f == 0:
                p = 0
            elif f == 1:
                p = a
            elif f == 2:
                p = b
            elif f == 3:
                p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[x] = (line[x] + p) & 255
        out[y], prev = cur, cur
    return out.astype(np.uint8)


def write_gray_png(path, image):
    h, w = image.shape
    raw = b"".join(b"\x00" + image[y].astype(np.uint8).tobytes() for y in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    tmp = path + ".part"
    open(tmp, "wb").write(png)
    os.replace(tmp, path)


def patches(image, top, bottom):
    for y in range(top, bottom - SIZE + 1, STRIDE):
        for x in range(0, image.shape[1] - SIZE + 1, STRIDE):
            yield image[y:y + SIZE, x:x + SIZE]


def defect(patch, kind, rng):
    p = patch.astype(np.float64)
    if kind == 0:  # a bright scratch, 2 pixels wide, at a random angle through a random point
        cy, cx = rng.uniform(16, 48, 2)
        angle = rng.uniform(0, np.pi)
        yy, xx = np.mgrid[0:SIZE, 0:SIZE]
        distance = np.abs((yy - cy) * np.cos(angle) - (xx - cx) * np.sin(angle))
        p[distance < 1.0] = 255
    elif kind == 1:  # a dark spot of radius 5 to 9
        cy, cx = rng.uniform(12, 52, 2)
        r = rng.uniform(5, 9)
        yy, xx = np.mgrid[0:SIZE, 0:SIZE]
        p[(yy - cy) ** 2 + (xx - cx) ** 2 < r * r] = 20
    else:  # a 5 x 5 box blur of the whole patch
        padded = np.pad(p, 2, mode="edge")
        p = sum(padded[dy:dy + SIZE, dx:dx + SIZE] for dy in range(5) for dx in range(5)) / 25
    return np.clip(np.rint(p), 0, 255).astype(np.uint8)


def main(photo, out):
    image = read_gray_png(photo)
    split = image.shape[0] * 3 // 4
    rng = np.random.default_rng(7)
    for sub in ("train/normal", "test/normal", "test/anomalous"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    n = 0
    for p in patches(image, 0, split):
        for k, variant in enumerate((p, p[:, ::-1], p[::-1, :], p.T)):
            write_gray_png(os.path.join(out, "train/normal", f"{n:05d}-{k}.png"), variant)
        n += 1
    m = 0
    for p in patches(image, split, image.shape[0]):
        write_gray_png(os.path.join(out, "test/normal", f"{m:04d}.png"), p)
        write_gray_png(os.path.join(out, "test/anomalous", f"{m:04d}-{('scratch', 'spot', 'blur')[m % 3]}.png"),
                       defect(p, m % 3, rng))
        m += 1
    print(f"{4 * n} training patches, {m} normal and {m} anomalous test patches in {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
