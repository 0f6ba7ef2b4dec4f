/**
 * Node-only parts of @meridian/fits: byte sources over files.
 *
 * @example
 * ```ts
 * import { openFitsFile } from "@meridian/fits/node";
 * const fits = await openFitsFile("m51.fits.gz");
 * const { axes, data } = await fits.readImage(0);
 * await fits.close();
 * ```
 */
export { fileSource, openFitsFile } from "./file-source.js";
