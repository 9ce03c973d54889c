/**
 * A map shown large in a modal dialog: the same pixels as its card (native size, scaled up by
 * CSS), so small channel tiles can be read. Esc, the close button or a click outside closes it.
 */
import { useEffect, useId, useRef } from 'react';
import type { Pixels } from './layout';
import { PixelCanvas } from './PixelCanvas';

export function EnlargedMap({ title, pixels, onClose }: { title: string; pixels: Pixels; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // No close() on cleanup: it fires `close` asynchronously, which would unmount the next dialog
  // (React runs effects twice in development). Leaving the DOM ends the modal state anyway.
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="map-dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === dialog.current) dialog.current.close(); // the backdrop
      }}
    >
      <div className="map-dialog-bar">
        <h3 id={titleId}>{title}</h3>
        <button type="button" onClick={() => dialog.current?.close()} aria-label="Close">
          ×
        </button>
      </div>
      <PixelCanvas pixels={pixels} role="img" aria-label={title} />
    </dialog>
  );
}
