/**
 * A canvas holding `pixels` at their native size (one putImageData; CSS scales it up with
 * `image-rendering: pixelated`), with a named performance measure per draw so the long-task
 * e2e test (and DevTools) can read what drawing costs.
 */
import { type CanvasHTMLAttributes, useEffect, useRef } from 'react';
import { boundedMeasure } from '../../timeline';
import type { Pixels } from './layout';

export function PixelCanvas({ pixels, measure, detail, ...attrs }: { pixels: Pixels; measure?: string; detail?: string } & CanvasHTMLAttributes<HTMLCanvasElement> & { 'data-testid'?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const start = performance.now();
    el.width = pixels.width;
    el.height = pixels.height;
    ctx.putImageData(new ImageData(pixels.data as Uint8ClampedArray<ArrayBuffer>, pixels.width, pixels.height), 0, 0);
    if (measure) boundedMeasure(measure, { start, detail });
  }, [pixels, measure, detail]);
  return <canvas ref={canvas} {...attrs} />;
}
