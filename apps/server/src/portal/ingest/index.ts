/**
 * Ingest: from a stored file to a searchable data-file row (format, every HDU header, position,
 * HEALPix index, footprint, observing metadata, frame type, night log).
 */
export { attachNightLog, type NightAttachment } from "./attach-night-log.js";
export { type FileFormat, namedLikeFits } from "./file-format.js";
export { type FitsMetadata, fitsMetadata, INGEST_HEALPIX_ORDER, parseDateObs } from "./fits-metadata.js";
export { frameTypeOf } from "./frame-type.js";
export { type FileInspection, inspectStoredFile } from "./inspect-file.js";
export { isKnownTimeZone, nightOf } from "./night-of.js";
