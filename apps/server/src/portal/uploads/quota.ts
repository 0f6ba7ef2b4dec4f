/**
 * Storage quotas per organisation: `organisations.quota_bytes`, else MERIDIAN_ORG_QUOTA_BYTES, else
 * no limit. Checked when an upload is created (with the bytes reserved by uploads in progress) and
 * again, atomically, when a file is committed.
 */

/** The server-wide default quota in bytes, or null for none. */
export function defaultQuotaBytes(env: NodeJS.ProcessEnv = process.env): number | null {
  const v = env.MERIDIAN_ORG_QUOTA_BYTES;
  if (v === undefined || v.trim() === "") return null;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Human-readable bytes (binary units). */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(n)} B` : `${v.toFixed(1)} ${units[u]}`;
}
