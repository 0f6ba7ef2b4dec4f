/**
 * LazyArray: a chunked array described by a @meridian/compute task graph. Element-wise operations
 * only build an expression; a reduction compiles that expression into its per-chunk statistics
 * loop, so `(a - b) / (a + b)` followed by `mean` and `std` reads every input element once and
 * allocates nothing per element. `compute()` runs the graph on all cores (worker threads with
 * shared memory) and assembles the result; `persist()` keeps the computed chunks in shared memory
 * (or a Zarr directory) and returns an array that starts from them.
 */
import { openSync, readSync } from "node:fs";
import {
  allocateChunk,
  type Chunk,
  chunkFromBuffer,
  type Graph,
  type JsonValue,
  ref,
  type TaskArg,
  type TaskSpec,
  task,
} from "@meridian/compute";
import { identity } from "@meridian/compute/kernels";
import { type ComputeOptions, compute } from "@meridian/compute/node";
import { type DType, dtypeKind, floatResult, promote, promoteScalar, type Storage } from "../dtype.js";
import { ArrayError } from "../errors.js";
import {
  type BinaryOp,
  BOOL_RESULT,
  type Expr,
  FLOAT_RESULT,
  remapInputs,
  type UnaryOp,
} from "../expression.js";
import { assign, NDArray, type Slice, sizeOf } from "../ndarray.js";
import { openZarrArray } from "../zarr.js";
import { directoryStore } from "../zarr-directory.js";
import {
  ARRAY_KERNELS,
  chunkStats,
  elementwise,
  exactReduce,
  type FinishParams,
  finishStats,
  gather,
  groupSums,
  mergeStats,
  pickStats,
  type ReadNpyParams,
  readNpy,
  readZarrChunk,
} from "./kernels.js";
import { overlapPieces } from "./regions.js";

let counter = 0;
function newPrefix(kind: string): string {
  counter += 1;
  return `${kind}-${process.pid.toString(36)}-${counter.toString(36)}`;
}

/** Chunk grid positions of a chunked shape, C order. */
export function chunkIndices(shape: readonly number[], chunkShape: readonly number[]): number[][] {
  const grid = shape.map((n, k) => Math.ceil(n / (chunkShape[k] as number)));
  const out: number[][] = [];
  if (grid.some((g) => g === 0)) return out;
  const idx = new Array<number>(shape.length).fill(0);
  for (;;) {
    out.push([...idx]);
    let k = shape.length - 1;
    for (; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (grid[k] as number)) break;
      idx[k] = 0;
    }
    if (k < 0) return out;
  }
}

function actualShape(
  shape: readonly number[],
  chunkShape: readonly number[],
  idx: readonly number[],
): number[] {
  return idx.map((i, k) =>
    Math.min(chunkShape[k] as number, (shape[k] as number) - i * (chunkShape[k] as number)),
  );
}

/** Statistic reductions available lazily. */
export type LazyReducer = FinishParams["reducer"];

/** A chunked, lazily computed array. */
export class LazyArray {
  private constructor(
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly chunkShape: readonly number[],
    /** Tasks producing the chunks of the sources (and of this array, when materialised). */
    readonly graph: Graph,
    /** Materialised: chunk key prefix. Pending: the expression over `sources`. */
    private readonly prefix: string | null,
    private readonly pending: { expr: Expr; sources: readonly LazyArray[] } | null,
    readonly name: string,
  ) {}

  /**
   * A materialised array from tasks already in `graph`: chunk `idx` is the task
   * `${prefix}/${idx.join(",")}` (used by window.ts for rolling, coarsen and broadcasting).
   */
  static fromTasks(
    dtype: DType,
    shape: readonly number[],
    chunkShape: readonly number[],
    graph: Graph,
    prefix: string,
    name: string,
  ): LazyArray {
    return new LazyArray(dtype, shape, chunkShape, graph, prefix, null, name);
  }

  /** Key of a chunk of a materialised array. */
  chunkKey(idx: readonly number[]): string {
    if (this.prefix === null)
      throw new ArrayError("INVALID_ARGUMENT", "chunkKey of an unmaterialised expression");
    return `${this.prefix}/${idx.join(",")}`;
  }

  /** Chunks per axis. */
  get chunkGrid(): number[] {
    return this.shape.map((n, k) => Math.ceil(n / (this.chunkShape[k] as number)));
  }

  /** Number of tasks in the graph (before optimisation). */
  get taskCount(): number {
    return Object.keys(this.graph).length;
  }

  /**
   * A C-order .npy file read in slabs of `rows` along the first axis (each slab one contiguous
   * read; numpy format 1.0/2.0/3.0 header, NEP 1).
   */
  static fromNpy(path: string, rows: number): LazyArray {
    const { dtype, shape, dataOffset } = readNpyHeader(path);
    if (shape.length === 0) throw new ArrayError("INVALID_ARGUMENT", `${path}: 0-d .npy`, { array: path });
    const chunkShape = [Math.max(1, Math.min(rows, shape[0] as number)), ...shape.slice(1)];
    const prefix = newPrefix("npy");
    const graph: Record<string, TaskSpec> = {};
    const slab = sizeOf(shape.slice(1)) * itemBytes(dtype);
    for (const idx of chunkIndices(shape, chunkShape)) {
      const cs = actualShape(shape, chunkShape, idx);
      graph[`${prefix}/${idx.join(",")}`] = task(
        readNpy,
        [],
        {
          path,
          dtype,
          shape: cs,
          byteOffset: dataOffset + (idx[0] as number) * (chunkShape[0] as number) * slab,
        },
        { bytes: sizeOf(cs) * itemBytes(dtype) },
      );
    }
    return new LazyArray(dtype, shape, chunkShape, graph, prefix, null, path);
  }

  /** A Zarr array in a directory store, one task per stored chunk. */
  static async fromZarr(dir: string, array: string): Promise<LazyArray> {
    const arr = await openZarrArray(directoryStore(dir), array);
    const prefix = newPrefix("zarr");
    const graph: Record<string, TaskSpec> = {};
    for (const idx of chunkIndices(arr.shape, arr.chunks)) {
      const cs = actualShape(arr.shape, arr.chunks, idx);
      graph[`${prefix}/${idx.join(",")}`] = task(
        readZarrChunk,
        [],
        { dir, array, coords: idx },
        { bytes: sizeOf(cs) * itemBytes(arr.dtype) },
      );
    }
    return new LazyArray(arr.dtype, arr.shape, arr.chunks, graph, prefix, null, array);
  }

  /** The expression and materialised sources this array is computed from. */
  private parts(): { expr: Expr; sources: readonly LazyArray[] } {
    return this.pending ?? { expr: { op: "input", index: 0 }, sources: [this] };
  }

  private static combine(
    arrays: readonly LazyArray[],
    build: (exprs: Expr[]) => Expr,
    dtype: DType,
    name: string,
  ): LazyArray {
    const first = arrays[0] as LazyArray;
    for (const a of arrays) {
      if (a.shape.join() !== first.shape.join())
        throw new ArrayError(
          "SHAPE_MISMATCH",
          `lazy operands have shapes [${first.shape}] and [${a.shape}]`,
          { array: a.name },
        );
      if (a.chunkShape.join() !== first.chunkShape.join())
        throw new ArrayError(
          "SHAPE_MISMATCH",
          `lazy operands have chunks [${first.chunkShape}] and [${a.chunkShape}]; rechunk one`,
          { array: a.name },
        );
    }
    const sources: LazyArray[] = [];
    const exprs = arrays.map((a) => {
      const p = a.parts();
      const map = p.sources.map((s) => {
        const i = sources.findIndex((t) => t.prefix === s.prefix);
        if (i >= 0) return i;
        sources.push(s);
        return sources.length - 1;
      });
      return remapInputs(p.expr, (i) => map[i] as number);
    });
    const graph: Record<string, TaskSpec> = Object.assign({}, ...arrays.map((a) => a.graph));
    return new LazyArray(
      dtype,
      first.shape,
      first.chunkShape,
      graph,
      null,
      { expr: build(exprs), sources },
      name,
    );
  }

  /** `this op other`, element-wise (other: same shape and chunks, or a number). */
  binary(fn: BinaryOp, other: LazyArray | number): LazyArray {
    if (typeof other === "number") {
      const dtype = opDType(fn, promoteScalar(this.dtype, other));
      return LazyArray.combine(
        [this],
        ([a]) => ({ op: "binary", fn, a: a as Expr, b: { op: "const", value: other } }),
        dtype,
        this.name,
      );
    }
    const dtype = opDType(fn, promote(this.dtype, other.dtype));
    return LazyArray.combine(
      [this, other],
      ([a, b]) => ({ op: "binary", fn, a: a as Expr, b: b as Expr }),
      dtype,
      this.name,
    );
  }

  add(o: LazyArray | number): LazyArray {
    return this.binary("add", o);
  }
  sub(o: LazyArray | number): LazyArray {
    return this.binary("sub", o);
  }
  mul(o: LazyArray | number): LazyArray {
    return this.binary("mul", o);
  }
  div(o: LazyArray | number): LazyArray {
    return this.binary("div", o);
  }
  gt(o: LazyArray | number): LazyArray {
    return this.binary("gt", o);
  }
  lt(o: LazyArray | number): LazyArray {
    return this.binary("lt", o);
  }

  /** A unary function element-wise. */
  map(fn: UnaryOp): LazyArray {
    return LazyArray.combine(
      [this],
      ([a]) => ({ op: "unary", fn, arg: a as Expr }),
      opDType(fn, this.dtype),
      this.name,
    );
  }

  /** Values where `cond` is true, else `other` (NaN by default). */
  where(cond: LazyArray, other = NaN): LazyArray {
    const dtype = Number.isNaN(other) ? floatResult(this.dtype) : promoteScalar(this.dtype, other);
    return LazyArray.combine(
      [this, cond],
      ([a, c]) => ({ op: "where", cond: c as Expr, a: a as Expr, b: { op: "const", value: other } }),
      dtype,
      this.name,
    );
  }

  /** Turn a pending expression into tasks (one element-wise task per chunk). */
  materialize(): LazyArray {
    if (!this.pending) return this;
    const { expr, sources } = this.pending;
    const prefix = newPrefix("ew");
    const graph: Record<string, TaskSpec> = { ...this.graph };
    const dtype = lazyStorageDType(this.dtype);
    for (const idx of chunkIndices(this.shape, this.chunkShape)) {
      const cs = actualShape(this.shape, this.chunkShape, idx);
      graph[`${prefix}/${idx.join(",")}`] = task(
        elementwise,
        sources.map((s) => ref(s.chunkKey(idx))),
        { expr, dtype } as never,
        { bytes: sizeOf(cs) * itemBytes(dtype) },
      );
    }
    return new LazyArray(dtype, this.shape, this.chunkShape, graph, prefix, null, this.name);
  }

  /**
   * Reduce over `axes` (all when omitted) with NaN skipped, fused with any pending element-wise
   * expression. Result chunks follow the kept axes' chunks.
   */
  reduce(reducer: LazyReducer, axes?: readonly number[], options: { ddof?: number } = {}): LazyArray {
    return this.reduceMany([reducer], axes, options)[0] as LazyArray;
  }

  /**
   * Several reductions over the same axes from one pass: the chunks are read and their partial
   * statistics computed once (e.g. `mean` and `std` together).
   */
  reduceMany(
    reducers: readonly LazyReducer[],
    axes?: readonly number[],
    options: { ddof?: number } = {},
  ): LazyArray[] {
    const nd = this.shape.length;
    const ax = axes === undefined ? [...Array(nd).keys()] : [...axes].map((a) => (a < 0 ? a + nd : a)).sort();
    for (const a of ax)
      if (a < 0 || a >= nd)
        throw new ArrayError("INDEX_OUT_OF_RANGE", `axis ${a} out of range for ${nd}-d array`, {
          array: this.name,
        });
    const kept = [...Array(nd).keys()].filter((k) => !ax.includes(k));
    const { expr, sources } = this.parts();
    const prefix = newPrefix(reducers.join("+"));
    const graph: Record<string, TaskSpec> = { ...this.graph };
    const outShape = kept.map((k) => this.shape[k] as number);
    const outChunks = kept.map((k) => this.chunkShape[k] as number);
    const byOut = new Map<string, string[]>();
    const mode = statsMode(reducers);
    for (const idx of chunkIndices(this.shape, this.chunkShape)) {
      const cs = actualShape(this.shape, this.chunkShape, idx);
      const key = `${prefix}-part/${idx.join(",")}`;
      const reads =
        kept.length === 0
          ? npyReads(
              graph,
              sources.map((s) => s.chunkKey(idx)),
            )
          : null;
      graph[key] = reads
        ? task(chunkStats, [], { expr, shape: cs, axes: ax, mode, reads } as never)
        : task(
            chunkStats,
            sources.map((s) => ref(s.chunkKey(idx))),
            { expr, shape: cs, axes: ax, mode } as never,
          );
      const out = kept.map((k) => idx[k]).join(",");
      byOut.get(out)?.push(key) ?? byOut.set(out, [key]);
    }
    const dtype: "float32" | "float64" = this.dtype === "float32" ? "float32" : "float64";
    for (const [out, parts] of byOut) {
      const idx = out === "" ? [] : out.split(",").map(Number);
      graph[`${prefix}-merge/${out}`] = task(
        mergeStats,
        parts.map((p) => ref(p)),
      );
      for (const reducer of reducers)
        graph[`${prefix}-${reducer}/${out}`] = task(finishStats, [ref(`${prefix}-merge/${out}`)], {
          reducer,
          ddof: options.ddof ?? 0,
          shape: actualShape(outShape, outChunks, idx),
          dtype,
        });
    }
    return reducers.map(
      (reducer) =>
        new LazyArray(
          reducer === "count" ? "float64" : dtype,
          outShape,
          outChunks,
          graph,
          `${prefix}-${reducer}`,
          null,
          this.name,
        ),
    );
  }

  /**
   * Median or quantile over `axes` (NaN skipped). Unlike the statistics above these need all
   * values of a line at once: each task assembles the chunks along the reduced axes (as Dask
   * needs a single chunk along them), so memory per task is that whole column of chunks.
   */
  reduceExact(reducer: "median" | "quantile", axes: readonly number[], q?: number): LazyArray {
    if (reducer === "quantile" && !(q !== undefined && q >= 0 && q <= 1))
      throw new ArrayError("INVALID_ARGUMENT", `quantile q=${q} outside [0, 1]`, { array: this.name });
    const nd = this.shape.length;
    const ax = [...axes].map((a) => (a < 0 ? a + nd : a)).sort();
    for (const a of ax)
      if (a < 0 || a >= nd)
        throw new ArrayError("INDEX_OUT_OF_RANGE", `axis ${a} out of range for ${nd}-d array`, {
          array: this.name,
        });
    const kept = [...Array(nd).keys()].filter((k) => !ax.includes(k));
    const m = this.materialize();
    const prefix = newPrefix(reducer);
    const graph: Record<string, TaskSpec> = { ...m.graph };
    const byOut = new Map<string, number[][]>();
    for (const idx of chunkIndices(m.shape, m.chunkShape)) {
      const out = kept.map((k) => idx[k]).join(",");
      byOut.get(out)?.push(idx) ?? byOut.set(out, [idx]);
    }
    const outShape = kept.map((k) => m.shape[k] as number);
    const outChunks = kept.map((k) => m.chunkShape[k] as number);
    for (const [out, idxs] of byOut) {
      const first = idxs[0] as number[];
      const blockShape = m.shape.map((n, k) =>
        ax.includes(k) ? n : (actualShape(m.shape, m.chunkShape, first)[k] as number),
      );
      graph[`${prefix}/${out}`] = task(
        exactReduce,
        idxs.map((idx) => ref(m.chunkKey(idx))),
        {
          reducer,
          ...(q === undefined ? {} : { q }),
          axes: ax,
          shape: blockShape,
          starts: idxs.map((idx) =>
            idx.map((j, k) => (ax.includes(k) ? j * (m.chunkShape[k] as number) : 0)),
          ),
          shapes: idxs.map((idx) => actualShape(m.shape, m.chunkShape, idx)),
        },
      );
    }
    const dtype = m.dtype === "float32" ? "float32" : "float64";
    return new LazyArray(dtype, outShape, outChunks, graph, prefix, null, this.name);
  }

  /**
   * Select a box: per axis a unit-step range `[start, stop)` or an integer (the axis is dropped).
   * Element-wise expressions are sliced source by source (selection commutes with them); each
   * output chunk is gathered from the input chunks it overlaps.
   */
  select(spec: readonly (number | { start?: number; stop?: number } | null)[]): LazyArray {
    if (this.pending) {
      const { expr, sources } = this.pending;
      const sliced = sources.map((s) => s.select(spec));
      const first = sliced[0] as LazyArray;
      return new LazyArray(
        this.dtype,
        first.shape,
        first.chunkShape,
        Object.assign({}, ...sliced.map((x) => x.graph)),
        null,
        { expr, sources: sliced },
        this.name,
      );
    }
    const nd = this.shape.length;
    const ranges = this.shape.map((n, k) => {
      const s = spec[k] ?? null;
      if (typeof s === "number") {
        const i = s < 0 ? s + n : s;
        if (!Number.isInteger(i) || i < 0 || i >= n)
          throw new ArrayError("INDEX_OUT_OF_RANGE", `index ${s} out of range for axis ${k} of length ${n}`, {
            array: this.name,
          });
        return { start: i, stop: i + 1, drop: true };
      }
      const norm = (v: number | undefined, d: number) =>
        Math.max(0, Math.min(n, v === undefined ? d : v < 0 ? v + n : v));
      const start = norm(s?.start, 0);
      return { start, stop: Math.max(start, norm(s?.stop, n)), drop: false };
    });
    const fullShape = ranges.map((r) => r.stop - r.start);
    const fullChunks = fullShape.map((n, k) => Math.max(1, Math.min(this.chunkShape[k] as number, n)));
    const keep = [...Array(nd).keys()].filter((k) => !ranges[k]?.drop);
    const prefix = newPrefix("sel");
    const graph: Record<string, TaskSpec> = { ...this.graph };
    for (const idx of chunkIndices(fullShape, fullChunks)) {
      const block = actualShape(fullShape, fullChunks, idx);
      // input chunk range per axis overlapped by this output chunk
      const lo = idx.map((j, k) => (ranges[k] as { start: number }).start + j * (fullChunks[k] as number));
      const hi = lo.map((l, k) => l + (block[k] as number));
      const { inputs, pieces } = overlapPieces(this.shape, this.chunkShape, lo, hi);
      const outIdx = keep.map((k) => idx[k]);
      graph[`${prefix}/${outIdx.join(",")}`] = task(
        gather,
        inputs.map((c) => ref(this.chunkKey(c))),
        {
          block,
          shape: keep.map((k) => block[k] as number),
          pieces,
        } as never,
      );
    }
    return new LazyArray(
      this.dtype,
      keep.map((k) => fullShape[k] as number),
      keep.map((k) => fullChunks[k] as number),
      graph,
      prefix,
      null,
      this.name,
    );
  }

  /** Compute several arrays in one run (shared tasks run once). */
  static async computeAll(arrays: readonly LazyArray[], options: ComputeOptions = {}): Promise<NDArray[]> {
    const ms = arrays.map((a) => a.materialize());
    const graph: Record<string, TaskSpec> = Object.assign({}, ...ms.map((m) => m.graph));
    const indices = ms.map((m) => chunkIndices(m.shape, m.chunkShape));
    const keys = ms.flatMap((m, i) => (indices[i] as number[][]).map((idx) => m.chunkKey(idx)));
    const outs = ms.map((m) =>
      m.dtype === "float32" || m.dtype === "float64"
        ? new NDArray(m.dtype, m.shape, allocateChunk(m.dtype, m.shape).data as Storage)
        : NDArray.zeros(m.shape, m.dtype),
    );
    // Each chunk is copied into its place as soon as its task finishes and then released (compute
    // reuses its memory), so the result is held once, not as chunks plus the assembled array.
    const places = new Map<string, [number, number[]][]>();
    ms.forEach((m, i) => {
      for (const idx of indices[i] as number[][]) {
        const key = m.chunkKey(idx);
        const list = places.get(key) ?? [];
        list.push([i, idx]);
        places.set(key, list);
      }
    });
    const inPlace = new Map<string, Chunk>();
    // Tasks that can write their output in place (grouped reductions) get a view of the result
    // (shared memory) as their output: no chunk is allocated, sent or copied for them.
    for (const [key, list] of places) {
      const t = graph[key];
      const [i, idx] = list[0] as [number, number[]];
      const m = ms[i] as LazyArray;
      const out = outs[i] as NDArray;
      if (list.length !== 1 || t?.kernel.module !== ARRAY_KERNELS || t.kernel.name !== "groupSums") continue;
      if (
        !(out.data.buffer instanceof SharedArrayBuffer) ||
        !m.chunkShape.every((n, k) => k === 0 || n === m.shape[k])
      )
        continue;
      const at0 = (idx[0] as number) * (m.chunkShape[0] as number) * sizeOf(m.shape.slice(1));
      const shape = actualShape(m.shape, m.chunkShape, idx);
      const view = chunkFromBuffer(
        m.dtype as "float32" | "float64",
        shape,
        out.data.buffer,
        at0 * out.data.BYTES_PER_ELEMENT,
      );
      const args = t.args ?? [];
      graph[key] = { ...t, args: [...args, view], params: { ...(t.params as object), outArg: args.length } };
      inPlace.set(key, view);
    }
    const place = (key: string, value: unknown): boolean => {
      for (const [i, idx] of places.get(key) ?? []) {
        const out = outs[i] as NDArray;
        // written in place: the same memory (a buffer arriving from a worker is another object)
        const view = inPlace.get(key);
        const d = (value as Chunk).data;
        if (
          view &&
          d.byteOffset === view.data.byteOffset &&
          d.buffer.byteLength === out.data.buffer.byteLength
        )
          continue;
        placeChunk(ms[i] as LazyArray, out, idx, value as Chunk);
      }
      return true;
    };
    try {
      await compute(graph, keys, { ...options, onResult: place });
    } catch (err) {
      throw new ArrayError(
        "COMPUTE_FAILED",
        `computing ${ms.map((m) => `"${m.name}"`).join(", ")}: ${(err as Error).message}`,
        {
          array: ms[0]?.name,
          cause: err,
          ...((err as { task?: string }).task ? { chunk: (err as { task: string }).task } : {}),
        },
      );
    }
    return outs;
  }

  /**
   * Reduce groups of positions along the first axis: `groups[i]` is the output position of input
   * position i (−1: dropped), `n` the number of outputs (empty groups give NaN). Used by resample
   * and groupby; each output is one chunk along that axis.
   */
  reduceGroups(
    reducer: LazyReducer,
    groups: readonly number[],
    n: number,
    options: { ddof?: number } = {},
  ): LazyArray {
    if (groups.length !== this.shape[0])
      throw new ArrayError(
        "SHAPE_MISMATCH",
        `${groups.length} group labels for an axis of ${this.shape[0]}`,
        { array: this.name },
      );
    const { expr, sources } = this.parts();
    const prefix = newPrefix(`${reducer}-groups`);
    const graph: Record<string, TaskSpec> = { ...this.graph };
    const rest = this.shape.slice(1);
    const restChunks = this.chunkShape.slice(1);
    const dtype: "float32" | "float64" = this.dtype === "float32" ? "float32" : "float64";
    const firstReads = npyReads(
      graph,
      sources.map((s) => s.chunkKey(this.shape.map(() => 0))),
    );
    const members: number[][] = Array.from({ length: n }, () => []);
    groups.forEach((g, i) => {
      if (g >= 0) members[g]?.push(i);
    });
    const step = this.chunkShape[0] as number;
    const span = (rows: readonly number[]) =>
      rows.length === 0
        ? { first: 0, count: 0 }
        : {
            first: Math.floor((rows[0] as number) / step),
            count:
              Math.floor((rows[rows.length - 1] as number) / step) -
              Math.floor((rows[0] as number) / step) +
              1,
          };
    // chunk sources: month-aligned tasks when every group's rows lie in few chunks (resample;
    // not groupby("time.month") over years, whose rows are spread over the whole axis)
    const compact =
      !firstReads &&
      sources.every((s) => STREAMED_DTYPES.has(s.dtype) || s.dtype === "bool") &&
      members.every((rows) => span(rows).count <= Math.ceil(rows.length / step) + 1);
    if (firstReads ? restChunks.every((c, k) => c === rest[k]) : compact) {
      // One task per group (and block of the other axes) reduces that group's rows piece by piece
      // and writes the finished values: no per-chunk partials, nothing to merge. .npy sources are
      // read in pieces (memory = the output chunk); chunk sources are the chunks holding the rows.
      const outChunk = [1, ...restChunks];
      const outDtype = reducer === "count" ? "float64" : dtype;
      for (let g = 0; g < n; g++) {
        const rows = members[g] as number[];
        const { first, count } = span(rows);
        for (const ridx of chunkIndices(rest, restChunks)) {
          const block = [1, ...actualShape(rest, restChunks, ridx)];
          const args = firstReads
            ? []
            : Array.from({ length: count }, (_, j) =>
                sources.map((s) => ref(s.chunkKey([first + j, ...ridx]))),
              ).flat();
          graph[`${prefix}/${[g, ...ridx].join(",")}`] = task(
            groupSums,
            args,
            {
              sources: firstReads
                ? (firstReads as unknown as ReadNpyParams[]).map((r) => ({
                    path: r.path,
                    dtype: r.dtype,
                    byteOffset: r.byteOffset,
                  }))
                : sources.map((s) => ({
                    path: "",
                    dtype: s.dtype === "bool" ? "uint8" : s.dtype,
                    byteOffset: 0,
                  })),
              expr,
              rows,
              inner: sizeOf(block),
              reducer,
              ddof: options.ddof ?? 0,
              dtype,
              shape: block,
              ...(firstReads ? {} : { chunked: { step, first } }),
            } as never,
            { bytes: sizeOf(block) * (outDtype === "float32" ? 4 : 8) },
          );
        }
      }
      return new LazyArray(outDtype, [n, ...rest], outChunk, graph, prefix, null, this.name);
    }
    const inner = (idx: number[]) => sizeOf(actualShape(rest, restChunks, idx));
    /** output group → rest chunk → [part key, local group] */
    const contrib = new Map<string, { key: string; local: number }[]>();
    const mode = statsMode([reducer]);
    for (const idx of chunkIndices(this.shape, this.chunkShape)) {
      const cs = actualShape(this.shape, this.chunkShape, idx);
      const start = (idx[0] as number) * step;
      const global = groups.slice(start, start + (cs[0] as number));
      const distinct = [...new Set(global.filter((g) => g >= 0))].sort((a, b) => a - b);
      if (distinct.length === 0) continue;
      const local = global.map((g) => (g < 0 ? -1 : distinct.indexOf(g)));
      const key = `${prefix}-part/${idx.join(",")}`;
      const reads = npyReads(
        graph,
        sources.map((s) => s.chunkKey(idx)),
      );
      graph[key] = reads
        ? task(chunkStats, [], { expr, shape: cs, axes: [0], groups: local, mode, reads } as never)
        : task(
            chunkStats,
            sources.map((s) => ref(s.chunkKey(idx))),
            { expr, shape: cs, axes: [0], groups: local, mode } as never,
          );
      distinct.forEach((g, l) => {
        const k = `${g}|${idx.slice(1).join(",")}`;
        contrib.get(k)?.push({ key, local: l }) ?? contrib.set(k, [{ key, local: l }]);
      });
    }
    const outShape = [n, ...rest];
    for (let g = 0; g < n; g++) {
      for (const ridx of chunkIndices(rest, restChunks)) {
        const parts = contrib.get(`${g}|${ridx.join(",")}`) ?? [];
        const out = [g, ...ridx].join(",");
        graph[`${prefix}-merge/${out}`] = task(
          pickStats,
          parts.map((p) => ref(p.key)),
          { inner: inner(ridx), groups: parts.map((p) => p.local) },
        );
        graph[`${prefix}/${out}`] = task(finishStats, [ref(`${prefix}-merge/${out}`)], {
          reducer,
          ddof: options.ddof ?? 0,
          shape: [1, ...actualShape(rest, restChunks, ridx)],
          dtype,
        });
      }
    }
    return new LazyArray(
      reducer === "count" ? "float64" : dtype,
      outShape,
      [1, ...restChunks],
      graph,
      prefix,
      null,
      this.name,
    );
  }

  /** Run the graph on worker threads and assemble the result in memory. */
  async compute(options: ComputeOptions = {}): Promise<NDArray> {
    return (await LazyArray.computeAll([this], options))[0] as NDArray;
  }

  /**
   * Compute the chunks and keep them in shared memory: the returned array's tasks hand those
   * chunks on by reference (compute's chunk literals), so later graphs start from them without
   * recomputing or copying. With `dir`, the chunks go to an uncompressed Zarr store there instead
   * (for data larger than memory, or for workers on other hosts sharing that directory).
   */
  async persist(options: ComputeOptions & { dir?: string } = {}): Promise<LazyArray> {
    const m = this.materialize();
    if (options.dir !== undefined) {
      const { writeZarrDirectory } = await import("../zarr-directory.js");
      const { DataArray } = await import("../data-array.js");
      const data = await m.compute(options);
      const dims = m.shape.map((_, k) => `dim_${k}`);
      await writeZarrDirectory(options.dir, new DataArray(data, dims, { name: "data" }), {
        compressor: "none",
        chunks: Object.fromEntries(dims.map((d, k) => [d, m.chunkShape[k] as number])),
      });
      return LazyArray.fromZarr(options.dir, "data");
    }
    const indices = chunkIndices(m.shape, m.chunkShape);
    let values: unknown[];
    try {
      values = await compute(
        m.graph,
        indices.map((idx) => m.chunkKey(idx)),
        options,
      );
    } catch (err) {
      throw new ArrayError("COMPUTE_FAILED", `persisting "${this.name}": ${(err as Error).message}`, {
        array: this.name,
        cause: err,
      });
    }
    const prefix = newPrefix("persisted");
    const graph: Record<string, TaskSpec> = {};
    indices.forEach((idx, i) => {
      graph[`${prefix}/${idx.join(",")}`] = task(identity, [values[i] as Chunk]);
    });
    return new LazyArray(m.dtype, m.shape, m.chunkShape, graph, prefix, null, this.name);
  }
}

/** The read params of chunk tasks when every one is a plain .npy read (else null). */
/** Dtypes the streamed .npy kernels read as numbers (others go through chunks). */
const STREAMED_DTYPES = new Set([
  "float32",
  "float64",
  "int8",
  "uint8",
  "int16",
  "uint16",
  "int32",
  "uint32",
]);

function npyReads(graph: Readonly<Record<string, TaskSpec>>, keys: readonly string[]): JsonValue[] | null {
  const out: JsonValue[] = [];
  for (const k of keys) {
    const t = graph[k];
    if (
      !t ||
      t.kernel.name !== readNpy.ref.name ||
      t.kernel.module !== readNpy.ref.module ||
      t.params === undefined ||
      !STREAMED_DTYPES.has((t.params as unknown as ReadNpyParams).dtype)
    )
      return null;
    out.push(t.params);
  }
  return out;
}

function statsMode(reducers: readonly LazyReducer[]): "sum" | "moments" | "all" {
  if (reducers.some((r) => r === "min" || r === "max")) return "all";
  if (reducers.some((r) => r === "var" || r === "std")) return "moments";
  return "sum";
}

function opDType(fn: string, dtype: DType): DType {
  if (BOOL_RESULT.has(fn)) return "bool";
  if (FLOAT_RESULT.has(fn)) return floatResult(dtype);
  return dtypeKind(dtype) === "f" ? dtype : "float64";
}

function lazyStorageDType(dtype: DType): "float32" | "float64" | "bool" {
  return dtype === "float32" ? "float32" : dtype === "bool" ? "bool" : "float64";
}

function itemBytes(dtype: DType): number {
  return {
    bool: 1,
    int8: 1,
    uint8: 1,
    int16: 2,
    uint16: 2,
    int32: 4,
    uint32: 4,
    float32: 4,
    int64: 8,
    uint64: 8,
    float64: 8,
    complex64: 8,
    complex128: 16,
  }[dtype];
}

const NPY_DTYPES: Record<string, DType> = {
  "|b1": "bool",
  "|i1": "int8",
  "|u1": "uint8",
  "<i2": "int16",
  "<u2": "uint16",
  "<i4": "int32",
  "<u4": "uint32",
  "<i8": "int64",
  "<u8": "uint64",
  "<f4": "float32",
  "<f8": "float64",
  "<c8": "complex64",
  "<c16": "complex128",
};

/** Parse a .npy header (NEP 1): dtype, shape, and where the data starts. */
export function readNpyHeader(path: string): { dtype: DType; shape: number[]; dataOffset: number } {
  const fd = openSync(path, "r");
  const head = new Uint8Array(4096);
  const n = readSync(fd, head, 0, head.length, 0);
  const bad = (why: string): never => {
    throw new ArrayError("READ_FAILED", `${path}: not a .npy file this reader handles (${why})`, {
      array: path,
    });
  };
  if (n < 10 || head[0] !== 0x93 || String.fromCharCode(...head.subarray(1, 6)) !== "NUMPY") bad("magic");
  const major = head[6] as number;
  const view = new DataView(head.buffer);
  const hlen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + hlen > n) bad("header longer than 4 KiB");
  const text = new TextDecoder().decode(head.subarray(start, start + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || !fortran || shapeText === undefined) bad("header dict");
  if (fortran === "True") bad("Fortran order");
  const dtype = NPY_DTYPES[descr as string] ?? bad(`dtype ${descr}`);
  const shape = (shapeText as string)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  return { dtype, shape, dataOffset: start + hlen };
}

export type { TaskArg };

/** Copy chunk `idx` of materialised `m` into its place in `out` (C order, shape `m.shape`). */
function placeChunk(m: LazyArray, out: NDArray, idx: readonly number[], c: Chunk): void {
  // chunks whole along every axis but the first are contiguous runs of the result: one copy
  const slabs = m.shape.length > 0 && m.chunkShape.every((n, k) => k === 0 || n === m.shape[k]);
  if (slabs && c.dtype === m.dtype) {
    const perRow = sizeOf(m.shape.slice(1)) * (out.data.length / Math.max(1, sizeOf(m.shape)));
    const at0 = (idx[0] as number) * (m.chunkShape[0] as number) * perRow;
    (out.data as unknown as { set(a: unknown, o: number): void }).set(c.data, at0);
    return;
  }
  const region: Slice[] = idx.map((j, k) => ({
    start: j * (m.chunkShape[k] as number),
    stop: j * (m.chunkShape[k] as number) + (c.shape[k] as number),
  }));
  assign(out.index(...region), new NDArray(c.dtype as DType, c.shape, c.data as Storage));
}
