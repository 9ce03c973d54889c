/**
 * The production build, served as `npm start` serves it: Vite builds the page into a temporary
 * folder and `vite preview` serves it (with the config's headers: COOP/COEP and the
 * Content-Security-Policy). For the describe blocks that test what users of a deployed page get.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';

export interface ProductionSite {
  /** The served page with `query` (no leading `?`). */
  url(query?: string): string;
  close(): Promise<void>;
}

/**
 * Builds and serves the app; call from beforeAll with a timeout for a build on two busy cores.
 * `mode: 'e2e'` builds the e2e bundle (the production bundle with the test hooks: `npm run soak`).
 */
export async function productionSite({ mode = 'production' }: { mode?: 'production' | 'e2e' } = {}): Promise<ProductionSite> {
  const outDir = mkdtempSync(join(tmpdir(), 'distill-e2e-build-'));
  await build({ mode, build: { outDir, emptyOutDir: true }, logLevel: 'error' });
  const site = await preview({ mode, build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false }, logLevel: 'error' });
  const base = site.resolvedUrls!.local[0];
  return {
    url: (query = '') => (query ? `${base}?${query}` : base),
    async close() {
      await site.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
