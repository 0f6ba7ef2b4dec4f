/**
 * @meridian/sky — angles, time scales, frames, sphere geometry, regions, HEALPix, MOC, cross-match.
 * Pure: runs in browsers and Node.
 */
export {};
