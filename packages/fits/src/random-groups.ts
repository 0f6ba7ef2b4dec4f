/**
 * Random groups (FITS 4.0 §6): GCOUNT groups, each PCOUNT parameters followed by an array of
 * NAXIS2 × … × NAXISn values. Parameters are scaled by PSCALn/PZEROn, the array by BSCALE/BZERO.
 */
import { type ByteSource, readExactly } from "./byte-source.js";
import { applyScaling, scaledType } from "./bzero-scaling.js";
import {
  bitpixType,
  decodeBigEndian,
  type ElementType,
  elementSize,
  type FitsArray,
} from "./element-type.js";
import { FitsError } from "./errors.js";
import type { HduInfo } from "./hdu-layout.js";
import { imageScaling } from "./read-image.js";

/** Random-groups data. */
export interface RandomGroups {
  /** Number of groups read. */
  groups: number;
  /** PTYPEn. */
  parameterNames: string[];
  /** Parameter values, group-major: `params[g * pcount + p]`, scaled by PSCALn/PZEROn (float64). */
  parameters: Float64Array;
  /** Axes of each group's array, FITS order (NAXIS2, NAXIS3, …). */
  axes: number[];
  /** Arrays of all groups read, group-major, scaled by BSCALE/BZERO. */
  data: FitsArray;
  type: ElementType;
}

/** Read groups `[start, end)` of a random-groups HDU. */
export async function readRandomGroups(
  source: ByteSource,
  hdu: HduInfo,
  options: { start?: number; end?: number } = {},
): Promise<RandomGroups> {
  if (hdu.kind !== "random-groups")
    throw new FitsError("INVALID_ARGUMENT", `HDU is a ${hdu.kind}, not random groups`, { hdu: hdu.index });
  const stored = bitpixType(hdu.bitpix);
  const size = elementSize(stored);
  const axes = hdu.axes.slice(1);
  const perGroup = axes.reduce((a, b) => a * b, 1);
  const start = options.start ?? 0;
  const end = options.end ?? hdu.gcount;
  if (start < 0 || end > hdu.gcount || start > end) {
    throw new FitsError("INVALID_ARGUMENT", `groups [${start}, ${end}) are outside 0..${hdu.gcount}`, {
      hdu: hdu.index,
    });
  }
  const groups = end - start;
  const stride = (hdu.pcount + perGroup) * size;
  const bytes = await readExactly(source, hdu.dataOffset + start * stride, groups * stride, hdu.index);
  const all = decodeBigEndian(bytes, stored);
  const rawParams: number[] = [];
  const rawData = new Uint8Array(groups * perGroup * size);
  for (let g = 0; g < groups; g++) {
    for (let p = 0; p < hdu.pcount; p++) rawParams.push(Number(all[g * (hdu.pcount + perGroup) + p]));
    rawData.set(bytes.subarray(g * stride + hdu.pcount * size, (g + 1) * stride), g * perGroup * size);
  }
  const h = hdu.header;
  const names: string[] = [];
  const parameters = new Float64Array(groups * hdu.pcount);
  for (let p = 0; p < hdu.pcount; p++) {
    names.push(h.getString(`PTYPE${p + 1}`)?.trim() ?? "");
    const scale = h.getNumber(`PSCAL${p + 1}`) ?? 1;
    const zero = h.getNumber(`PZERO${p + 1}`) ?? 0;
    for (let g = 0; g < groups; g++)
      parameters[g * hdu.pcount + p] = (rawParams[g * hdu.pcount + p] as number) * scale + zero;
  }
  const scaling = imageScaling(h);
  const raw = decodeBigEndian(rawData, stored);
  return {
    groups,
    parameterNames: names,
    parameters,
    axes,
    data: applyScaling(raw, stored, scaling),
    type: scaledType(stored, scaling),
  };
}
