/** Zarr stores in local directories (Node only). */
import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import FileSystemStore from "@zarrita/storage/fs";
import type { DataArray } from "./data-array.js";
import type { Dataset } from "./dataset.js";
import { ArrayError } from "./errors.js";
import { listZarrArrays, type ReadZarrOptions, readZarr, type WriteZarrOptions, writeZarr } from "./zarr.js";

/** A zarrita store over a directory. */
export function directoryStore(path: string): FileSystemStore {
  return new FileSystemStore(path);
}

/** Array names in a directory store: consolidated metadata, else the subdirectories holding `.zarray`/`zarr.json`. */
export async function listDirectoryArrays(path: string): Promise<string[]> {
  const listed = await listZarrArrays(directoryStore(path));
  if (listed) return listed;
  let entries: string[];
  try {
    entries = await readdir(path);
  } catch (err) {
    throw new ArrayError("ZARR_METADATA", `cannot list Zarr store ${path}: ${(err as Error).message}`, {
      array: path,
      cause: err,
    });
  }
  const out: string[] = [];
  for (const e of entries.sort()) {
    const dir = join(path, e);
    if (!(await stat(dir)).isDirectory()) continue;
    const files = await readdir(dir);
    if (files.includes(".zarray") || files.includes("zarr.json")) out.push(e);
  }
  return out;
}

/** Read a Zarr directory as a Dataset. */
export async function readZarrDirectory(path: string, options: ReadZarrOptions = {}): Promise<Dataset> {
  const arrays = options.arrays ?? (await listDirectoryArrays(path));
  return readZarr(directoryStore(path), { ...options, arrays });
}

/** Write a Dataset to a Zarr directory (created when missing). */
export async function writeZarrDirectory(
  path: string,
  data: Dataset | DataArray,
  options: WriteZarrOptions = {},
): Promise<void> {
  await mkdir(path, { recursive: true });
  await writeZarr(directoryStore(path), data, options);
}
