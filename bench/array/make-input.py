#!/usr/bin/python3
"""Bench inputs as .npy files (float32, C order), read by both Meridian and Dask/numpy.

make-input.py flat PATH GIB      -> (rows, 4096) uniform [0, 1) * 4 + 10, seed 1
make-input.py cube PATH T Y X    -> (T, Y, X) uniform [0, 1) + a seasonal cycle over T, seed 2
"""
import sys

import numpy as np

kind, path = sys.argv[1], sys.argv[2]
if kind == "flat":
    gib = float(sys.argv[3])
    rows = int(gib * 2**30 / (4096 * 4))
    out = np.lib.format.open_memmap(path, mode="w+", dtype="float32", shape=(rows, 4096))
    rng = np.random.default_rng(1)
    for r in range(0, rows, 4096):
        n = min(4096, rows - r)
        out[r : r + n] = rng.random((n, 4096), dtype=np.float32) * 4 + 10
    out.flush()
else:
    t, y, x = (int(v) for v in sys.argv[3:6])
    out = np.lib.format.open_memmap(path, mode="w+", dtype="float32", shape=(t, y, x))
    rng = np.random.default_rng(2)
    for i in range(t):
        out[i] = rng.random((y, x), dtype=np.float32) + np.float32(np.sin(2 * np.pi * i / 365.0))
    out.flush()
