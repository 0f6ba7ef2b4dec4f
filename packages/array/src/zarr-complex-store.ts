/**
 * zarrita 0.7 has no complex dtypes. This store wrapper presents a complex64/complex128 array to
 * zarrita as float32/float64 with one more, innermost axis of length 2 (real, imaginary): numpy's
 * byte layout of a C-order complex chunk is exactly that. Metadata is rewritten on the way in and
 * the extra chunk index is dropped from chunk keys, so the bytes read are the stored ones.
 */
import type { AbsolutePath, AsyncReadable, GetOptions } from "@zarrita/storage";

const COMPLEX_V2: Record<string, string> = { "<c8": "<f4", "<c16": "<f8" };
const COMPLEX_V3: Record<string, string> = { complex64: "float32", complex128: "float64" };

function rewriteV2(meta: Record<string, unknown>): Record<string, unknown> | null {
  const f = COMPLEX_V2[String(meta.dtype)];
  if (!f || !Array.isArray(meta.shape) || !Array.isArray(meta.chunks)) return null;
  return { ...meta, dtype: f, shape: [...meta.shape, 2], chunks: [...meta.chunks, 2], fill_value: 0 };
}

function rewriteV3(meta: Record<string, unknown>): Record<string, unknown> | null {
  const f = COMPLEX_V3[String(meta.data_type)];
  const grid = meta.chunk_grid as { configuration?: { chunk_shape?: unknown } } | undefined;
  const cs = grid?.configuration?.chunk_shape;
  if (!f || !Array.isArray(meta.shape) || !Array.isArray(cs)) return null;
  const names = meta.dimension_names;
  return {
    ...meta,
    data_type: f,
    shape: [...meta.shape, 2],
    chunk_grid: { name: "regular", configuration: { chunk_shape: [...cs, 2] } },
    fill_value: 0,
    ...(Array.isArray(names) ? { dimension_names: [...names, "_complex"] } : {}),
  };
}

const encoder = new TextEncoder();

function decode(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Wrap `store` so zarrita can read complex arrays (see the module comment). */
export function complexAwareStore<S extends AsyncReadable>(store: S): AsyncReadable {
  /** Array path ("/a") → chunk key separator of a complex array. */
  const complexArrays = new Map<string, { sep: string; v3: boolean }>();

  const note = (arrayPath: string, meta: Record<string, unknown>, v3: boolean) => {
    const enc = meta.chunk_key_encoding as
      | { name?: string; configuration?: { separator?: string } }
      | undefined;
    const sep = v3
      ? (enc?.configuration?.separator ?? (enc?.name === "v2" ? "." : "/"))
      : String(meta.dimension_separator ?? ".");
    complexArrays.set(arrayPath, { sep, v3: v3 && (enc?.name ?? "default") === "default" });
  };

  const parentOf = (key: string) => key.slice(0, key.lastIndexOf("/")) || "";

  return {
    async get(key: AbsolutePath, opts?: GetOptions): Promise<Uint8Array | undefined> {
      const base = parentOf(key);
      const complex = findComplexParent(key);
      if (complex && !key.endsWith(".zarray") && !key.endsWith("zarr.json") && !key.endsWith(".zattrs")) {
        const rel = key.slice(complex.path.length + 1);
        const parts = rel.split(complex.info.sep);
        const realRel = parts.length > 1 ? parts.slice(0, -1).join(complex.info.sep) : rel;
        const realKey = `${complex.path}/${realRel}` as AbsolutePath;
        return store.get(realKey, opts);
      }
      const bytes = await store.get(key, opts);
      if (!bytes) return bytes;
      if (key.endsWith("/.zarray")) {
        const meta = decode(bytes);
        const r = meta && rewriteV2(meta);
        if (meta && r) {
          note(base, meta, false);
          return encoder.encode(JSON.stringify(r));
        }
      } else if (key.endsWith("/zarr.json")) {
        const meta = decode(bytes);
        if (meta?.node_type === "array") {
          const r = rewriteV3(meta);
          if (r) {
            note(base, meta, true);
            return encoder.encode(JSON.stringify(r));
          }
        }
      } else if (key === "/.zmetadata") {
        const meta = decode(bytes);
        const inner = meta?.metadata as Record<string, Record<string, unknown>> | undefined;
        if (meta && inner && typeof inner === "object") {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(inner)) {
            const r = k.endsWith(".zarray") && typeof v === "object" && v !== null ? rewriteV2(v) : null;
            if (r) note(`/${k.slice(0, -"/.zarray".length)}`, v, false);
            out[k] = r ?? v;
          }
          return encoder.encode(JSON.stringify({ ...meta, metadata: out }));
        }
      }
      return bytes;
    },
  };

  function findComplexParent(key: string): { path: string; info: { sep: string; v3: boolean } } | undefined {
    for (const [path, info] of complexArrays) if (key.startsWith(`${path}/`)) return { path, info };
    return undefined;
  }
}
