/**
 * A static 3-d kd-tree over points given in Float64Arrays (Bentley 1975; Friedman, Bentley &
 * Finkel 1977 for the nearest-neighbour search). Used on unit vectors for cross-matching: the
 * chord length |a − b| is monotonic in the angular separation, so Euclidean search is exact.
 *
 * Layout: points are permuted into tree order and stored interleaved (x, y, z); the tree is
 * implicit (node i has children 2i+1, 2i+2; each node splits its index range at the middle), so
 * the only per-node data are the split axis and value.
 */

const LEAF_SIZE = 8;

export class KdTree3 {
  /** Number of points. */
  readonly size: number;
  /** Point coordinates in tree order, interleaved x, y, z. */
  readonly #pts: Float64Array;
  /** Tree position → original index. */
  readonly #perm: Uint32Array;
  readonly #axis: Int8Array;
  readonly #split: Float64Array;
  // Reusable depth-first stack of (node, lo, hi). A DFS that pushes ≤ 2 children per pop holds
  // at most depth + 1 entries, and depth < 64 for any array that fits in memory.
  readonly #stack = new Int32Array(3 * 64);
  // Squared distance to the split plane of each stacked far side, re-checked when popped.
  readonly #planeD2 = new Float64Array(64);

  /** Build from coordinate arrays of equal length. */
  constructor(x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>) {
    const n = x.length;
    this.size = n;
    const perm = new Uint32Array(n);
    // Interleaved copy, permuted in place during the build so each range stays contiguous.
    const pts = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      perm[i] = i;
      pts[3 * i] = x[i] as number;
      pts[3 * i + 1] = y[i] as number;
      pts[3 * i + 2] = z[i] as number;
    }
    let nodes = 1;
    while (nodes * LEAF_SIZE < n) nodes *= 2;
    // Ranges split at the middle reach leaf size within log2(nodes) + 1 levels: ids < 4·nodes.
    this.#axis = new Int8Array(4 * nodes).fill(-1);
    this.#split = new Float64Array(4 * nodes);
    const todo: number[] = [0, 0, n];
    while (todo.length > 0) {
      const hi = todo.pop() as number;
      const lo = todo.pop() as number;
      const node = todo.pop() as number;
      if (hi - lo <= LEAF_SIZE) continue;
      let min0 = Infinity;
      let max0 = -Infinity;
      let min1 = Infinity;
      let max1 = -Infinity;
      let min2 = Infinity;
      let max2 = -Infinity;
      // Spread per axis; large ranges are sampled (the axis choice only steers balance/shape).
      const step = hi - lo > 8192 ? 3 * Math.floor((hi - lo) / 2048) : 3;
      for (let i = 3 * lo; i < 3 * hi; i += step) {
        const a = pts[i] as number;
        const b = pts[i + 1] as number;
        const c = pts[i + 2] as number;
        if (a < min0) min0 = a;
        if (a > max0) max0 = a;
        if (b < min1) min1 = b;
        if (b > max1) max1 = b;
        if (c < min2) min2 = c;
        if (c > max2) max2 = c;
      }
      const s0 = max0 - min0;
      const s1 = max1 - min1;
      const s2 = max2 - min2;
      const ax = s0 >= s1 && s0 >= s2 ? 0 : s1 >= s2 ? 1 : 2;
      const mid = (lo + hi) >>> 1;
      select(pts, perm, ax, lo, hi - 1, mid);
      this.#axis[node] = ax;
      this.#split[node] = pts[3 * mid + ax] as number;
      todo.push(2 * node + 1, lo, mid, 2 * node + 2, mid, hi);
    }
    this.#pts = pts;
    this.#perm = perm;
  }

  /** Original index of the point nearest (qx, qy, qz) within squared distance < `maxD2`, or −1. */
  nearest(qx: number, qy: number, qz: number, maxD2 = Infinity): number {
    const pos = this.nearestPosition(qx, qy, qz, maxD2);
    return pos < 0 ? -1 : (this.#perm[pos] as number);
  }

  /** Original index of the point at tree position `pos`. */
  originalIndex(pos: number): number {
    return this.#perm[pos] as number;
  }

  /** Coordinate `axis` (0, 1, 2) of the point at tree position `pos`. */
  coordinate(pos: number, axis: number): number {
    return this.#pts[3 * pos + axis] as number;
  }

  /** Tree position (not original index) of the nearest point within squared distance < `maxD2`, or −1. */
  nearestPosition(qx: number, qy: number, qz: number, maxD2 = Infinity): number {
    const pts = this.#pts;
    const axis = this.#axis;
    const split = this.#split;
    let best = -1;
    let bestD2 = maxD2;
    // Depth-first with the near child first; far children are revisited only if the split
    // plane is closer than the current best.
    const st = this.#stack;
    const pd = this.#planeD2;
    st[0] = 0;
    st[1] = 0;
    st[2] = this.size;
    pd[0] = 0;
    let sp = 3;
    while (sp > 0) {
      sp -= 3;
      // The best distance may have shrunk since this far side was pushed.
      if ((pd[sp / 3] as number) >= bestD2) continue;
      let node = st[sp] as number;
      let lo = st[sp + 1] as number;
      let hi = st[sp + 2] as number;
      // Descend to a leaf, pushing far sides.
      for (;;) {
        const ax = axis[node] as number;
        if (ax < 0 || hi - lo <= LEAF_SIZE) break;
        const q = ax === 0 ? qx : ax === 1 ? qy : qz;
        const d = q - (split[node] as number);
        const d2 = d * d;
        const mid = (lo + hi) >>> 1;
        if (d < 0) {
          if (d2 < bestD2) {
            st[sp] = 2 * node + 2;
            st[sp + 1] = mid;
            st[sp + 2] = hi;
            pd[sp / 3] = d2;
            sp += 3;
          }
          node = 2 * node + 1;
          hi = mid;
        } else {
          if (d2 < bestD2) {
            st[sp] = 2 * node + 1;
            st[sp + 1] = lo;
            st[sp + 2] = mid;
            pd[sp / 3] = d2;
            sp += 3;
          }
          node = 2 * node + 2;
          lo = mid;
        }
      }
      for (let i = lo; i < hi; i++) {
        const dx = (pts[3 * i] as number) - qx;
        const dy = (pts[3 * i + 1] as number) - qy;
        const dz = (pts[3 * i + 2] as number) - qz;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < bestD2) {
          bestD2 = d2;
          best = i;
        }
      }
    }
    return best;
  }

  /** Call `found(index, d2)` for every point with squared distance ≤ `r2` of (qx, qy, qz). */
  within(qx: number, qy: number, qz: number, r2: number, found: (index: number, d2: number) => void): void {
    const pts = this.#pts;
    const axis = this.#axis;
    const split = this.#split;
    const perm = this.#perm;
    const st = this.#stack;
    st[0] = 0;
    st[1] = 0;
    st[2] = this.size;
    let sp = 3;
    while (sp > 0) {
      sp -= 3;
      const node = st[sp] as number;
      const lo = st[sp + 1] as number;
      const hi = st[sp + 2] as number;
      const ax = axis[node] as number;
      if (ax < 0 || hi - lo <= LEAF_SIZE) {
        for (let i = lo; i < hi; i++) {
          const dx = (pts[3 * i] as number) - qx;
          const dy = (pts[3 * i + 1] as number) - qy;
          const dz = (pts[3 * i + 2] as number) - qz;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 <= r2) found(perm[i] as number, d2);
        }
        continue;
      }
      const s = st;
      const q = ax === 0 ? qx : ax === 1 ? qy : qz;
      const d = q - (split[node] as number);
      const mid = (lo + hi) >>> 1;
      if (d <= 0 || d * d <= r2) {
        s[sp] = 2 * node + 1;
        s[sp + 1] = lo;
        s[sp + 2] = mid;
        sp += 3;
      }
      if (d >= 0 || d * d <= r2) {
        s[sp] = 2 * node + 2;
        s[sp + 1] = mid;
        s[sp + 2] = hi;
        sp += 3;
      }
    }
  }
}

/**
 * Quickselect (Hoare partition, median-of-three pivot) on axis `ax` of the interleaved points,
 * moving points and their original indices together, so that point k has rank k in [left, right].
 */
function select(
  pts: Float64Array,
  perm: Uint32Array,
  ax: number,
  left: number,
  right: number,
  k: number,
): void {
  let l = left;
  let r = right;
  while (r > l) {
    const m = (l + r) >>> 1;
    const a = pts[3 * l + ax] as number;
    const b = pts[3 * m + ax] as number;
    const c = pts[3 * r + ax] as number;
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c)); // median of three
    let i = l;
    let j = r;
    while (i <= j) {
      while ((pts[3 * i + ax] as number) < pivot) i++;
      while ((pts[3 * j + ax] as number) > pivot) j--;
      if (i <= j) {
        const t = perm[i] as number;
        perm[i] = perm[j] as number;
        perm[j] = t;
        const pi = 3 * i;
        const pj = 3 * j;
        const t0 = pts[pi] as number;
        const t1 = pts[pi + 1] as number;
        const t2 = pts[pi + 2] as number;
        pts[pi] = pts[pj] as number;
        pts[pi + 1] = pts[pj + 1] as number;
        pts[pi + 2] = pts[pj + 2] as number;
        pts[pj] = t0;
        pts[pj + 1] = t1;
        pts[pj + 2] = t2;
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return;
  }
}
