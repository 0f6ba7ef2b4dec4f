/**
 * Searchable metadata from the HDU headers of a FITS file: OBJECT, the sky position (the image
 * centre through the WCS, else RA/DEC keywords), its NESTED order-29 HEALPix index, the footprint
 * (image corners through the WCS, ICRS), DATE-OBS, EXPTIME, FILTER, INSTRUME, TELESCOP,
 * IMAGETYP/OBSTYPE and AIRMASS. Problems become warnings, never errors.
 */
import {
  compressedImageInfo,
  type HduInfo,
  type Header,
  type HeaderValue,
  parseWcs,
  skyFrame,
  type Wcs,
  wcsFootprint,
} from "@meridian/fits";
import { ang2pixBig, convertPositions, parseAngle, separation } from "@meridian/sky";
import type { HduHeader, HeaderCards } from "../../db/portal-schema.js";

/** HEALPix order of data_files.healpix29. */
export const INGEST_HEALPIX_ORDER = 29;

/** What {@link fitsMetadata} extracts. */
export interface FitsMetadata {
  headers: HduHeader[];
  keywords: HeaderCards;
  object: string | null;
  ra: number | null;
  dec: number | null;
  healpix29: bigint | null;
  footprint: [number, number][] | null;
  radiusDeg: number | null;
  dateObs: Date | null;
  exptime: number | null;
  filter: string | null;
  instrument: string | null;
  telescope: string | null;
  imageType: string | null;
  airmass: number | null;
  /** HDU whose WCS gave the position, or null. */
  wcsHdu: number | null;
  warnings: string[];
}

/** A header value as JSON: bigints beyond 2^53 and complex numbers become strings. */
function jsonValue(v: HeaderValue): string | number | boolean | null {
  if (v === undefined) return null;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === "object") return `(${v.re}, ${v.im})`;
  return v;
}

/** The cards of one header: value cards by keyword (first wins); COMMENT/HISTORY lines joined. */
export function headerCards(header: Header): HeaderCards {
  const out: HeaderCards = {};
  for (const card of header.cards) {
    if (card.kind === "commentary") {
      if (card.key === "") continue;
      const text = typeof card.value === "string" ? card.value : "";
      const prev = out[card.key];
      out[card.key] = typeof prev === "string" ? `${prev}\n${text}` : text;
      continue;
    }
    if (card.key in out) continue;
    out[card.key] = jsonValue(card.value);
  }
  return out;
}

function firstValue(hdus: readonly HduInfo[], key: string): HeaderValue {
  for (const h of hdus) {
    const v = h.header.get(key);
    if (v === undefined) continue;
    if (typeof v === "string" && v.trim() === "") continue;
    return typeof v === "string" ? v.trim() : v;
  }
  return undefined;
}

function text(v: HeaderValue): string | null {
  if (v === undefined) return null;
  const s = jsonValue(v);
  return s === null ? null : String(s);
}

function number(v: HeaderValue, key: string, warnings: string[]): number | null {
  if (v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  warnings.push(`${key} = ${JSON.stringify(jsonValue(v))} is not a number; ignored`);
  return null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?Z?$/;
const OLD_DATE = /^(\d{2})\/(\d{2})\/(\d{2})$/;

/**
 * DATE-OBS as an instant (UTC): ISO 8601 (FITS 4.0 §4.4.2.2), or the old `DD/MM/YY` form meaning
 * 19YY; a date without a time takes TIME-OBS (or UT) when given. Undefined when not a date.
 */
export function parseDateObs(dateObs: string, timeObs?: string): Date | undefined {
  let d = dateObs.trim();
  const old = OLD_DATE.exec(d);
  if (old) d = `19${old[3]}-${old[2]}-${old[1]}`;
  if (!d.includes("T") && timeObs !== undefined && timeObs.trim() !== "" && d.length === 10) {
    d = `${d}T${timeObs.trim()}`;
  }
  const m = ISO_DATE.exec(d);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) =>
    x === undefined ? 0 : Number(x),
  ) as [number, number, number, number, number, number];
  const ms = m[7] === undefined ? 0 : Math.round(Number(m[7]) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined;
  return new Date(t);
}

interface ImageHdu {
  index: number;
  header: Header;
  axes: readonly number[];
}

function imageHdus(hdus: readonly HduInfo[], warnings: string[]): ImageHdu[] {
  const out: ImageHdu[] = [];
  for (const h of hdus) {
    if (h.kind === "compressed-image") {
      try {
        const info = compressedImageInfo(h);
        out.push({ index: h.index, header: info.imageHeader, axes: info.axes });
      } catch (err) {
        warnings.push(`HDU ${h.index}: compressed image header unreadable (${(err as Error).message})`);
      }
    } else if (h.kind === "primary" || h.kind === "image") {
      out.push({ index: h.index, header: h.header, axes: h.axes });
    }
  }
  return out.filter((h) => h.axes.length >= 2 && (h.axes[0] ?? 0) > 0 && (h.axes[1] ?? 0) > 0);
}

function wcsOf(header: Header): Wcs | undefined {
  try {
    return parseWcs(header);
  } catch {
    // An axis we cannot read (e.g. an unknown spectral type): the first two axes alone.
    try {
      return parseWcs(header, { naxis: 2 });
    } catch {
      return undefined;
    }
  }
}

interface Position {
  ra: number;
  dec: number;
  footprint: [number, number][] | null;
  radiusDeg: number | null;
  wcsHdu: number | null;
}

function wcsPosition(images: readonly ImageHdu[], warnings: string[]): Position | undefined {
  for (const img of images) {
    const wcs = wcsOf(img.header);
    if (wcs === undefined || !wcs.hasCelestial) continue;
    const frame = skyFrame(wcs);
    if (frame === undefined) {
      warnings.push(
        `HDU ${img.index}: the WCS is in ${wcs.frame ?? "an unknown"} coordinates, which have no ICRS position`,
      );
      return undefined;
    }
    const [n1, n2] = img.axes as [number, number];
    const pix = Array.from({ length: wcs.naxis }, (_, axis) => [
      axis === 0 ? (n1 + 1) / 2 : axis === 1 ? (n2 + 1) / 2 : 1,
    ]);
    const world = wcs.pixelToWorld(pix);
    const lng = world[wcs.lngAxis]?.[0];
    const lat = world[wcs.latAxis]?.[0];
    if (lng === undefined || lat === undefined || !Number.isFinite(lng) || !Number.isFinite(lat)) {
      warnings.push(`HDU ${img.index}: the image centre has no sky position through the WCS`);
      continue;
    }
    const c = convertPositions([lng], [lat], frame, { name: "icrs" });
    const ra = c.lon[0] as number;
    const dec = c.lat[0] as number;
    let footprint: [number, number][] | null = null;
    let radiusDeg: number | null = null;
    try {
      const fp = wcsFootprint(wcs, img.axes);
      if (fp.icrs !== undefined && fp.icrs.length === 4) {
        footprint = fp.icrs;
        radiusDeg = Math.max(...fp.icrs.map(([a, b]) => separation(ra, dec, a, b)));
      } else {
        warnings.push(`HDU ${img.index}: some image corners have no sky position; no footprint`);
      }
    } catch (err) {
      warnings.push(`HDU ${img.index}: no footprint (${(err as Error).message})`);
    }
    return { ra, dec, footprint, radiusDeg, wcsHdu: img.index };
  }
  return undefined;
}

/** A header angle: strings are sexagesimal or with units (`unit` for bare fields), numbers degrees. */
function angle(v: HeaderValue, unit: "hour" | "deg"): number {
  if (typeof v === "string") return parseAngle(v, { unit });
  return typeof v === "number" ? v : Number.NaN;
}

function keywordPosition(hdus: readonly HduInfo[], warnings: string[]): Position | undefined {
  for (const h of hdus) {
    for (const [rk, dk] of [
      ["RA", "DEC"],
      ["OBJCTRA", "OBJCTDEC"],
    ] as const) {
      const ra = h.header.get(rk);
      const dec = h.header.get(dk);
      if (ra === undefined || dec === undefined) continue;
      try {
        const raDeg = angle(ra, "hour");
        const decDeg = angle(dec, "deg");
        if (!Number.isFinite(raDeg) || !Number.isFinite(decDeg) || Math.abs(decDeg) > 90) {
          throw new Error("not an angle");
        }
        return {
          ra: ((raDeg % 360) + 360) % 360,
          dec: decDeg,
          footprint: null,
          radiusDeg: null,
          wcsHdu: null,
        };
      } catch {
        warnings.push(
          `HDU ${h.index}: ${rk}/${dk} = ${JSON.stringify(String(ra))}/${JSON.stringify(String(dec))} are not sky coordinates; ignored`,
        );
      }
    }
  }
  return undefined;
}

/** Extract the metadata of a FITS file from its HDUs (headers only). */
export function fitsMetadata(hdus: readonly HduInfo[]): FitsMetadata {
  const warnings: string[] = [];
  const headers: HduHeader[] = hdus.map((h) => ({
    index: h.index,
    type: h.index === 0 ? "PRIMARY" : (h.xtension ?? "UNKNOWN").trim(),
    cards: headerCards(h.header),
  }));
  const keywords: HeaderCards = {};
  for (const h of headers) {
    for (const [k, v] of Object.entries(h.cards)) if (!(k in keywords)) keywords[k] = v;
  }
  let position = wcsPosition(imageHdus(hdus, warnings), warnings);
  if (position === undefined) {
    warnings.push("no celestial WCS: no footprint");
    position = keywordPosition(hdus, warnings);
  }
  let dateObs: Date | null = null;
  for (const h of hdus) {
    const d = h.header.get("DATE-OBS");
    if (typeof d !== "string" || d.trim() === "") continue;
    const t = h.header.get("TIME-OBS") ?? h.header.get("UT");
    const parsed = parseDateObs(d, typeof t === "string" ? t : undefined);
    if (parsed === undefined) {
      warnings.push(`HDU ${h.index}: DATE-OBS = ${JSON.stringify(d)} is not a date; ignored`);
      continue;
    }
    dateObs = parsed;
    break;
  }
  const imageType = text(firstValue(hdus, "IMAGETYP")) ?? text(firstValue(hdus, "OBSTYPE"));
  return {
    headers,
    keywords,
    object: text(firstValue(hdus, "OBJECT")),
    ra: position?.ra ?? null,
    dec: position?.dec ?? null,
    healpix29:
      position === undefined ? null : ang2pixBig(INGEST_HEALPIX_ORDER, position.ra, position.dec, "nest"),
    footprint: position?.footprint ?? null,
    radiusDeg: position?.radiusDeg ?? null,
    dateObs,
    exptime: number(firstValue(hdus, "EXPTIME"), "EXPTIME", warnings),
    filter: text(firstValue(hdus, "FILTER")),
    instrument: text(firstValue(hdus, "INSTRUME")),
    telescope: text(firstValue(hdus, "TELESCOP")),
    imageType,
    airmass: number(firstValue(hdus, "AIRMASS"), "AIRMASS", warnings),
    wcsHdu: position?.wcsHdu ?? null,
    warnings,
  };
}
