/** Reading the charts PNG back: how many of its pixels have each of the page's series colours. */
import type { Page } from '@playwright/test';

/** Pixels of the PNG within ±12 per channel of each named CSS colour variable of the page. */
export async function colourCounts(page: Page, png: Buffer, vars: readonly string[]): Promise<Record<string, number>> {
  return page.evaluate(
    async ({ b64, vars }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      const probe = document.createElement('span');
      document.body.append(probe);
      const out: Record<string, number> = {};
      for (const v of vars) {
        probe.style.color = `var(${v})`;
        const [r, g, b] = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) <= 12 && Math.abs(data[i + 1] - g) <= 12 && Math.abs(data[i + 2] - b) <= 12) n++;
        out[v] = n;
      }
      probe.remove();
      return out;
    },
    { b64: png.toString('base64'), vars },
  );
}
