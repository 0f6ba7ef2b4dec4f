"""Dask and numpy side of bench/compute (Debian /usr/bin/python3). Prints one JSON line.

    python3 bench/compute/peer.py noop N
    python3 bench/compute/peer.py meanstd-memory TOTAL_BYTES CHUNK_BYTES
    python3 bench/compute/peer.py meanstd-stream TOTAL_BYTES CHUNK_BYTES
"""
import json
import resource
import sys
import threading
import time

import dask
import dask.array as da
import numpy as np



def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


class PeakRss:
    """Samples resident memory every 5 ms on a thread (ru_maxrss only ever grows)."""

    def __enter__(self):
        self.peak = rss()
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()
        return self

    def run(self):
        while not self.stop:
            self.peak = max(self.peak, rss())
            time.sleep(0.005)

    def __exit__(self, *a):
        self.stop = True
        self.t.join()
        self.peak = max(self.peak, rss())


def noop():
    return None


def main():
    mode = sys.argv[1]
    out = {"dask": dask.__version__, "numpy": np.__version__}
    if mode == "noop":
        n = int(sys.argv[2])
        g = {"t%d" % i: (noop,) for i in range(n)}
        keys = list(g)
        dask.threaded.get(g, keys)  # warm the thread pool
        t0 = time.perf_counter()
        dask.threaded.get(g, keys)
        s = time.perf_counter() - t0
        out.update(seconds=s, perTaskMs=s * 1000 / n)
    elif mode == "meanstd-memory":
        total, chunk = int(sys.argv[2]), int(sys.argv[3])
        x = np.random.default_rng(0).random(total // 4, dtype=np.float32)
        xd = da.from_array(x, chunks=chunk // 4)
        before = rss()
        with PeakRss() as p:
            t0 = time.perf_counter()
            mean, std = dask.compute(xd.mean(), xd.std())
            s = time.perf_counter() - t0
        out.update(seconds=s, extraRssMB=(p.peak - before) / 2**20, mean=float(mean), std=float(std))
        before = rss()
        with PeakRss() as p:
            t0 = time.perf_counter()
            nmean, nstd = x.mean(), x.std()
            ns = time.perf_counter() - t0
        out.update(numpySeconds=ns, numpyExtraRssMB=(p.peak - before) / 2**20)
    elif mode == "meanstd-stream":
        total, chunk = int(sys.argv[2]), int(sys.argv[3])
        # float32 chunks made inside the graph (random_sample and astype fuse into one task).
        xd = da.random.RandomState(0).random_sample(total // 4, chunks=chunk // 4).astype(np.float32)
        with PeakRss() as p:
            t0 = time.perf_counter()
            mean, std = dask.compute(xd.mean(), xd.std())
            s = time.perf_counter() - t0
        out.update(seconds=s, peakRssMB=max(p.peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024) / 2**20,
                   mean=float(mean), std=float(std))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
