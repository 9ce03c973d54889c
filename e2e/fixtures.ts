/**
 * Shared setup for the browser tests: a `playground` helper that opens the app with a query
 * string and reads what the page shows, plus console-error capture (page and worker).
 */
import { readFile } from 'node:fs/promises';
import { type Download, type Page, expect, test as base } from '@playwright/test';
import type { AppState } from '../src/ui/store';
import type { TrainingClient } from '../src/worker/client';
import type { MetricsPoint } from '../src/worker/protocol';

/** What main.tsx exposes in dev builds. */
interface DevHook {
  store: { getState(): AppState; subscribe(listener: (state: AppState) => void): () => void };
  client: TrainingClient;
}
declare global {
  interface Window {
    __distill?: DevHook;
  }
}

/** Tiny runs: SwiftShader (software WebGPU) and wasm both get through them in seconds. */
const TINY: Record<string, string | number> = { student: 'resnet-xs', batch: 8, subset: 64, steps: 3, eval: 1000, testSize: 100 };

/** The query string of a tiny run, with overrides (`tiny({ backend: 'wasm' })`). */
export function tiny(overrides: Record<string, string | number> = {}): string {
  return Object.entries({ ...TINY, ...overrides })
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export const SCREENSHOTS = 'e2e/screenshots';

export class Playground {
  readonly consoleErrors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(`pageerror: ${e.message}`));
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(query ? `/?${query}` : '/');
  }

  badge() {
    return this.page.getByTestId('backend-badge');
  }

  progress() {
    return this.page.getByTestId('progress');
  }

  button(name: string) {
    return this.page.getByRole('button', { name, exact: true });
  }

  field(key: string) {
    return this.page.locator(`#field-${key}`);
  }

  /** Waits until the worker reports a backend; returns its name. */
  async backend(): Promise<string> {
    await expect(this.badge()).toHaveAttribute('data-backend', /^(webgpu|wasm|webgl|cpu)$/, { timeout: 45_000 });
    return (await this.badge().getAttribute('data-backend'))!;
  }

  async step(): Promise<number> {
    return Number(await this.progress().getAttribute('data-step'));
  }

  async status(): Promise<string> {
    return (await this.progress().getAttribute('data-status'))!;
  }

  /** Sets a form field: picks the option of a select, else types and commits (Enter). */
  async setField(key: string, value: string): Promise<void> {
    const field = this.field(key);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') {
      await field.selectOption(value);
      return;
    }
    await field.fill(value);
    await field.press('Enter');
  }

  /** The run's points as the store holds them (dev hook). */
  points(): Promise<MetricsPoint[]> {
    return this.page.evaluate(() => window.__distill!.store.getState().points);
  }

  /** The backend the worker reported (dev hook). */
  reportedBackend(): Promise<AppState['backend']> {
    return this.page.evaluate(() => window.__distill!.store.getState().backend);
  }

  async hasWebGPU(): Promise<boolean> {
    return this.page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return gpu ? (await gpu.requestAdapter()) !== null : false;
    });
  }

  /** Clicks, then waits for `count` downloads; their suggested names and bytes. */
  async downloads(click: () => Promise<void>, count = 1): Promise<{ name: string; bytes: Buffer }[]> {
    const seen: Download[] = [];
    const all = new Promise<void>((resolve) => {
      const on = (d: Download) => {
        seen.push(d);
        if (seen.length === count) {
          this.page.off('download', on);
          resolve();
        }
      };
      this.page.on('download', on);
    });
    await click();
    await all;
    return Promise.all(seen.map(async (d) => ({ name: d.suggestedFilename(), bytes: await readFile(await d.path()) })));
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  }

  /** Rows of the runs table, newest first. */
  runRows() {
    return this.page.getByTestId('run-row');
  }

  /** Trains the current config to the end (status done or failed). */
  async trainToEnd(): Promise<void> {
    await this.button('Train').click();
    await expect(this.progress()).toHaveAttribute('data-status', /^(done|failed)$/, { timeout: 45_000 });
  }

  /** Opens a long tiny run on wasm, trains a few steps, pauses; returns the step it paused at. */
  async pausedMidRun(): Promise<number> {
    await this.open(tiny({ steps: 5000, backend: 'wasm' }));
    await this.backend();
    await this.button('Train').click();
    await expect.poll(() => this.step(), { timeout: 45_000 }).toBeGreaterThanOrEqual(3);
    await this.button('Pause').click();
    await expect(this.progress()).toHaveAttribute('data-status', 'paused');
    return this.step();
  }

  /** Runs saved in the page's IndexedDB (what a reload will find). */
  savedRunCount(): Promise<number> {
    return this.page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('distill-playground');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('runs')) return resolve(0);
            const count = db.transaction('runs').objectStore('runs').count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => reject(count.error);
          };
        }),
    );
  }
}

/** Every metric of every point is a finite number, steps 1…n in order. */
export async function expectFinitePoints(pg: Playground, n: number): Promise<void> {
  const points = await pg.points();
  expect(points.map((p) => p.step)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  for (const p of points) {
    for (const k of ['loss', 'taskLoss', 'distillLoss', 'featureLoss', 'difference', 'trainAcc'] as const) expect(Number.isFinite(p[k])).toBe(true);
  }
}

/** The loss chart has drawn a line through `n` points. */
export async function expectChartLine(pg: Playground, n: number): Promise<void> {
  const chart = pg.page.getByTestId('chart-loss');
  await expect(chart).toHaveAttribute('data-points', String(n));
  const path = chart.locator('path.recharts-line-curve').first();
  await expect(path).toHaveAttribute('d', /^M[\d.,\s-]+(L[\d.,\s-]+){1,}/);
  expect(await path.getAttribute('d')).not.toContain('NaN');
}

export const test = base.extend<{ playground: Playground }>({
  playground: async ({ page }, use) => {
    await use(new Playground(page));
  },
});

export { expect };
