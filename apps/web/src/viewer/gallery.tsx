/**
 * Image galleries: a grid of lazily loaded thumbnails (made on the server); a click opens a lightbox with the full
 * image, arrow keys for previous/next, Escape to close.
 */
import { useCallback, useEffect, useState } from "react";
import { Link } from "../router.js";
import { fileUrl, thumbUrl, viewUrl } from "./viewer-api.js";

export interface GalleryImage {
  path: string;
  name: string;
  /** Thumbnail URL (default: the file itself). */
  thumb?: string;
  /** Full-size URL (default: the file itself). */
  full?: string;
}

export function Gallery({ images }: { images: readonly GalleryImage[] }) {
  const [open, setOpen] = useState<number | null>(null);
  const close = useCallback(() => setOpen(null), []);
  return (
    <>
      <ul className="gallery">
        {images.map((img, i) => (
          <li key={img.path} className="gallery-item">
            <button type="button" className="gallery-button" onClick={() => setOpen(i)} title={img.path}>
              <img src={img.thumb ?? thumbUrl(img.path)} alt={img.name} loading="lazy" decoding="async" />
            </button>
            <Link to={viewUrl(img.path)} className="gallery-name">
              {img.name}
            </Link>
          </li>
        ))}
      </ul>
      {open !== null && images[open] ? (
        <Lightbox images={images} index={open} onIndex={setOpen} onClose={close} />
      ) : null}
    </>
  );
}

function Lightbox({
  images,
  index,
  onIndex,
  onClose,
}: {
  images: readonly GalleryImage[];
  index: number;
  onIndex: (i: number) => void;
  onClose: () => void;
}) {
  const img = images[index]!;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
      else if (e.key === "ArrowRight") onIndex((index + 1) % images.length);
      else if (e.key === "ArrowLeft") onIndex((index - 1 + images.length) % images.length);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [index, images.length, onIndex, onClose]);
  return (
    <div className="lightbox" role="dialog" aria-modal="true" aria-label={img.name}>
      <button
        type="button"
        className="lightbox-backdrop"
        aria-label="Close"
        tabIndex={-1}
        onClick={onClose}
      />
      <figure className="lightbox-figure">
        <img src={img.full ?? fileUrl(img.path)} alt={img.name} />
        <figcaption>
          <span>
            {index + 1} / {images.length} · {img.path}
          </span>
          <span className="lightbox-actions">
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => onIndex((index - 1 + images.length) % images.length)}
              aria-label="Previous image"
            >
              ←
            </button>
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => onIndex((index + 1) % images.length)}
              aria-label="Next image"
            >
              →
            </button>
            <button type="button" className="button button-small" onClick={onClose}>
              Close
            </button>
          </span>
        </figcaption>
      </figure>
    </div>
  );
}
