/**
 * Comparison panes share one view through the sky: the centre of one pane is taken to the other
 * image through both WCSs and the zoom scaled by the ratio of pixel scales, so both show the same
 * patch of sky at the same angular size (rotation between the images is not applied). Without a
 * celestial WCS on both, the pixel view is shared as it is.
 */
import type { ImageWcs, PlaneIndex } from "./image-wcs.js";
import { clampZoom, type View } from "./view-transform.js";

export function mapView(
  view: View,
  from: ImageWcs | null,
  to: ImageWcs | null,
  channel: PlaneIndex = 0,
): View {
  if (from === null || to === null || !from.celestial || !to.celestial || to.frame === null) return view;
  const x = view.cx + 0.5;
  const y = view.cy + 0.5;
  const sky = from.pixelToNative(x, y, channel);
  const scaleFrom = from.localScale(x, y, channel);
  if (sky === null || scaleFrom === null || from.frame === null) return view;
  const p = to.skyToPixel(sky[0], sky[1], from.frame, 0);
  if (p === null) return view;
  const scaleTo = to.localScale(p[0], p[1], 0);
  if (scaleTo === null) return view;
  return {
    cx: p[0] - 0.5,
    cy: p[1] - 0.5,
    zoom: clampZoom((view.zoom * scaleTo.degPerPixel) / scaleFrom.degPerPixel),
  };
}
