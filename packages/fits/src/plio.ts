/**
 * PLIO_1 decompression: IRAF pixel-list "line list" encoding (FITS 4.0 §10.4.4; IRAF plio
 * `pl_l2pi`). A list of 16-bit words: a 3-bit opcode and 12-bit data — runs of zeros or of the
 * current value, and changes of the current value.
 */
import { FitsError } from "./errors.js";

/** Decode a line list (16-bit words) into `npix` non-negative integers. */
export function plioDecode(words: Int16Array, npix: number, out: Int32Array): void {
  // Header: a non-positive third word (the magic −100) marks the newer format, whose length is
  // split over words 4–5 (1-based); the old format has a 16-bit length in word 1.
  const w = (i: number): number => {
    const v = words[i - 1];
    if (v === undefined) throw new FitsError("BAD_COMPRESSED", "PLIO line list ends early");
    return v;
  };
  let lllen: number;
  let llfirt: number;
  if (!(w(3) > 0)) {
    lllen = (w(5) << 15) + w(4);
    llfirt = w(2) + 1;
  } else {
    lllen = w(1);
    llfirt = 4;
  }
  out.fill(0, 0, npix);
  if (npix <= 0 || lllen <= 0) return;
  const xs = 1;
  const xe = xs + npix - 1;
  let op = 0;
  let x1 = 1;
  let pv = 1;
  for (let ip = llfirt; ip <= lllen; ip++) {
    const word = w(ip) & 0xffff;
    const opcode = word >> 12;
    const data = word & 4095;
    switch (opcode) {
      case 0:
      case 4:
      case 5: {
        // Runs: zeros (0), the current value (4), zeros ending in one value (5).
        const x2 = x1 + data - 1;
        const i1 = Math.max(x1, xs);
        const i2 = Math.min(x2, xe);
        const np = i2 - i1 + 1;
        if (np > 0) {
          const otop = op + np - 1;
          out.fill(opcode === 4 ? pv : 0, op, otop + 1);
          if (opcode === 5 && i2 === x2) out[otop] = pv;
          op = otop + 1;
        }
        x1 = x2 + 1;
        break;
      }
      case 1:
        pv = ((w(ip + 1) & 0xffff) << 12) + data;
        ip++;
        break;
      case 2:
        pv += data;
        break;
      case 3:
        pv -= data;
        break;
      case 6:
      case 7:
        pv += opcode === 6 ? data : -data;
        if (x1 >= xs && x1 <= xe) out[op++] = pv;
        x1++;
        break;
    }
    if (x1 > xe) break;
  }
}
