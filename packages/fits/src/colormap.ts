/**
 * Colormaps: 256-entry RGB lookup tables sampled from matplotlib (see colormap-tables.ts and
 * fixtures/fits/make-image-colormaps.py). A value y in [0, 1] maps to entry min(⌊256 y⌋, 255),
 * as matplotlib's Colormap.__call__ does.
 */
import { COLORMAP_TABLES } from "./colormap-tables.js";
import { FitsError } from "./errors.js";

/** Names of the available colormaps ("gray" and "grey" are both accepted). */
export const COLORMAP_NAMES: readonly string[] = Object.keys(COLORMAP_TABLES);

const cache = new Map<string, Uint8Array>();

/** Resolve a colormap name (case-insensitive; "gray" → "grey"; a "_r" suffix reverses). */
function resolveName(name: string): { key: string; reversed: boolean } | undefined {
  const lower = name.trim().toLowerCase();
  const find = (n: string): string | undefined =>
    Object.keys(COLORMAP_TABLES).find((k) => k.toLowerCase() === (n === "gray" ? "grey" : n));
  const direct = find(lower);
  if (direct !== undefined) return { key: direct, reversed: false };
  if (lower.endsWith("_r")) {
    const base = find(lower.slice(0, -2));
    if (base !== undefined) return { key: base, reversed: true };
  }
  return undefined;
}

/**
 * The 768-byte RGB table of a colormap. Throws FitsError INVALID_ARGUMENT for unknown names,
 * listing the known ones.
 */
export function colormap(name: string): Uint8Array {
  const r = resolveName(name);
  if (r === undefined) {
    throw new FitsError(
      "INVALID_ARGUMENT",
      `unknown colormap "${name}": use one of ${COLORMAP_NAMES.join(", ")}`,
    );
  }
  const id = `${r.key}${r.reversed ? "_r" : ""}`;
  let lut = cache.get(id);
  if (lut === undefined) {
    const hex = COLORMAP_TABLES[r.key] as string;
    lut = new Uint8Array(768);
    for (let i = 0; i < 768; i++) lut[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    if (r.reversed) {
      const rev = new Uint8Array(768);
      for (let i = 0; i < 256; i++) rev.set(lut.subarray(3 * (255 - i), 3 * (255 - i) + 3), 3 * i);
      lut = rev;
    }
    cache.set(id, lut);
  }
  return lut;
}

/** Table index of a stretched value y in [0, 1] (matplotlib's rule). */
export function colormapIndex(y: number): number {
  const i = Math.floor(y * 256);
  return Math.max(0, Math.min(255, i));
}
