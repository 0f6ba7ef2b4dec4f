#!/usr/bin/python3
"""Peers for bench/array: Dask (threaded scheduler, all cores) and numpy on the same .npy input.

peer.py dask-meanstd PATH ROWS   -> JSON {seconds, mean, std, peakMB}
peer.py numpy-meanstd PATH       -> same, numpy on a memory map
peer.py dask-resample PATH T0 TCHUNK -> xarray+Dask resample(time="MS").mean() on (T, Y, X)
Peak memory is this process's maximum resident set (ru_maxrss).
"""
import json
import resource
import sys
import time

import dask
import dask.array as da
import numpy as np

kind, path = sys.argv[1], sys.argv[2]
x = np.load(path, mmap_mode="r")
out = {"dask": dask.__version__, "numpy": np.__version__}
if kind == "dask-meanstd":
    rows = int(sys.argv[3])
    a = da.from_array(x, chunks=(rows, x.shape[1]))
    t0 = time.perf_counter()
    m, s = da.compute(a.mean(dtype="float64"), a.std(dtype="float64"))
    out.update(seconds=time.perf_counter() - t0, mean=float(m), std=float(s))
elif kind == "numpy-meanstd":
    t0 = time.perf_counter()
    m = x.mean(dtype="float64")
    s = x.std(dtype="float64")
    out.update(seconds=time.perf_counter() - t0, mean=float(m), std=float(s))
elif kind == "dask-resample":
    import xarray as xr

    tchunk = int(sys.argv[3])
    time_coord = np.datetime64("2021-01-01") + np.arange(x.shape[0]).astype("timedelta64[D]")
    arr = xr.DataArray(da.from_array(x, chunks=(tchunk, x.shape[1], x.shape[2])), dims=("time", "y", "x"), coords={"time": time_coord})
    t0 = time.perf_counter()
    r = arr.resample(time="MS").mean().compute()
    out.update(seconds=time.perf_counter() - t0, checksum=float(np.nansum(r.values, dtype="float64")), shape=list(r.shape), xarray=xr.__version__)
out["peakMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
json.dump(out, sys.stdout)
