/** What viewer routes share: the served tree, the token, the cache and the built UI. */
import type { TreeRoot } from "./tree-root.js";

export interface ViewerContext {
  readonly root: TreeRoot;
  readonly token: string;
  /** Directory for derived files (thumbnails), outside the tree. */
  readonly cacheDir: string;
  /** Built web app (apps/web/dist) holding viewer.html and assets/. */
  readonly webDir: string;
  /** Open event streams, ended when the viewer closes. */
  readonly streams: Set<() => void>;
}
