/**
 * @meridian/fits — FITS read/write, WCS, image statistics, scaling, colormaps, rendering.
 * Pure: runs in browsers and Node.
 */
export {};
