/**
 * Legibility of charts and maps (issue 15, item 10), on state put straight into the store (dev
 * hook), so each case is exact and needs no training: a λ sweep whose accuracies differ by
 * tenths of a percent, H-GKD similarities of order 1e-4, the feature maps of an MGD step and an
 * H-GKD mask view. Checks what the page draws: tick texts, label boxes, title overflow, the
 * mask legend and the enlarged channel grid.
 */
import { type Locator, type Page } from '@playwright/test';
import { expect, type Playground, test, tiny } from './fixtures';

/** Each axis's tick texts of a chart, x then y. */
async function tickTexts(chart: Locator): Promise<{ x: string[]; y: string[] }> {
  const read = (axis: string) => chart.locator(`.recharts-${axis} .recharts-cartesian-axis-tick-value`).allTextContents();
  await expect(chart.locator('.recharts-yAxis .recharts-cartesian-axis-tick-value').first()).toBeVisible();
  return { x: await read('xAxis'), y: await read('yAxis') };
}

const distinct = (xs: string[]) => new Set(xs).size === xs.length;

/** Tick labels whose box leaves the chart's SVG (clipped on screen): their texts. */
function labelsOutside(chart: Locator): Promise<string[]> {
  return chart.evaluate((fig) => {
    const svg = fig.querySelector('svg.recharts-surface')!.getBoundingClientRect();
    return [...fig.querySelectorAll('.recharts-cartesian-axis-tick-value')]
      .filter((t) => {
        const b = t.getBoundingClientRect();
        return b.left < svg.left - 0.5 || b.right > svg.right + 0.5 || b.top < svg.top - 0.5 || b.bottom > svg.bottom + 0.5;
      })
      .map((t) => t.textContent ?? '');
  });
}

/** Captions (titles) inside `root` whose text is cut (wider than their box). */
function cutTitles(root: Locator): Promise<string[]> {
  return root.evaluate((el) => [...el.querySelectorAll('figcaption')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent ?? ''));
}

/** λ-sweep runs of one batch, completed, with the given test accuracies. */
async function injectLambdaSweep(page: Page, points: [lambda: number, acc: number][]): Promise<void> {
  await page.evaluate((pts) => {
    const store = window.__distill!.store as unknown as { getState(): { config: Record<string, unknown> }; setState(p: object): void };
    const config = store.getState().config;
    const runs = pts.map(([lambda, acc], i) => ({
      id: `sweep-${i}`, label: i + 1, createdAt: Date.now(), config: { ...config, method: 'mgd', lambda }, status: 'completed', backend: 'wasm',
      steps: 3, testAcc: acc, trainAcc: acc, metrics: { pipeline: 'distill', difference: 1 }, stepsPerSec: 10, seconds: 1, error: null, points: [], liveChanges: [],
      batch: { id: 'sweep', kind: 'lambda' }, selected: false,
    }));
    store.setState({ runs });
  }, points);
}

test('λ sweep: accuracies a few tenths of a percent apart get distinct y tick labels inside the chart', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  await injectLambdaSweep(pg.page, [[0.15, 0.1012], [0.5, 0.1031], [0.85, 0.1019]]);
  const chart = pg.page.getByTestId('lambda-chart');
  const { x, y } = await tickTexts(chart);
  expect(y.length).toBeGreaterThanOrEqual(3);
  expect(distinct(y), `y ticks ${y.join(' | ')}`).toBe(true);
  expect(distinct(x), `x ticks ${x.join(' | ')}`).toBe(true);
  expect(await labelsOutside(chart)).toEqual([]);
  expect(pg.consoleErrors).toEqual([]);
});

/** The H-GKD preset, and a distillation state: similarities of order 1e-4, loss values close together. */
async function injectHgkd(pg: Playground): Promise<void> {
  await pg.open(tiny({ backend: 'wasm' }));
  await pg.page.locator('[data-preset="hgkd"]').click();
  await expect(pg.page.getByTestId('hgkd-panel')).toBeVisible();
  await pg.page.evaluate(() => {
    const store = window.__distill!.store as unknown as { getState(): { hgkd: object }; setState(p: object): void };
    const n = 64;
    const teacher = Float32Array.from({ length: n }, (_, i) => 1e-4 + 8e-4 * Math.exp(-i / 6));
    const student = Float32Array.from({ length: n }, (_, i) => 1.2e-4 + 5e-4 * Math.exp(-i / 9));
    const size = 16;
    const image = Float32Array.from({ length: size * size }, (_, p) => Math.sin(p / 7));
    const mask = Float32Array.from({ length: size * size }, (_, p) => ((p >> 2) + (p >> 6)) % 2);
    const masked = image.map((v, p) => v * mask[p]);
    const scales = [0, 1].map((scale) => {
      const h = size >> scale;
      const active = Float32Array.from({ length: h * h }, (_, p) => mask[(p % h) * (1 << scale) + Math.floor(p / h) * (1 << scale) * size]);
      const attention = active.map((a, p) => a * (1 + (p % 5)));
      return { scale, shape: [h, h, 8], values: new Float32Array(h * h * 8), attention, active };
    });
    const distill = Array.from({ length: 20 }, (_, i) => ({ phase: 'distill', step: i + 1, mse: 0.51234 - i * 1e-5, simLoss: 0.99971 - i * 2e-6, pearson: 2.9e-4 + i * 2e-6 }));
    store.setState({
      hgkd: {
        ...store.getState().hgkd,
        phase: 'distill',
        distill,
        snapshot: { step: 20, snapshot: { index: 0, label: 3, sparse: true, maskRatio: 0.5, size, image, mask, masked, scales, queue: { fill: n, capacity: n, teacher, student } } },
      },
    });
  });
}

test('H-GKD: the similarity chart and the distillation charts keep their tick labels inside, distinct; the mask view has a legend', async ({ playground: pg }) => {
  await injectHgkd(pg);
  for (const id of ['similarity', 'mse', 'sim', 'pearson']) {
    const chart = pg.page.getByTestId(`hgkd-chart-${id}`);
    const { y } = await tickTexts(chart);
    expect(distinct(y), `${id}: y ticks ${y.join(' | ')}`).toBe(true);
    expect(await labelsOutside(chart), id).toEqual([]);
  }
  const legend = pg.page.getByTestId('hgkd-mask-legend');
  await expect(legend).toBeVisible();
  await expect(legend).toContainText('kept');
  await expect(legend).toContainText('masked');
  expect(await cutTitles(pg.page.getByTestId('hgkd-mask-view'))).toEqual([]);
  expect(pg.consoleErrors).toEqual([]);
});

/** The feature snapshot of an MGD step: every map kind, teacher stage 4×4×32, mask 4×4×1. */
async function injectFeatures(page: Page): Promise<void> {
  await page.evaluate(() => {
    const store = window.__distill!.store as unknown as { setState(p: object): void };
    const map = (kind: string, [h, w, c]: [number, number, number]) => {
      const values = Float32Array.from({ length: h * w * c }, (_, i) => (kind === 'mask' ? (i * 7) % 3 === 0 ? 0 : 1 : Math.sin(i)));
      const attention = Float32Array.from({ length: h * w }, (_, p) => Math.abs(values[p * c]));
      return { kind, shape: [h, w, c], values, attention };
    };
    const maps = [map('input', [28, 28, 1]), ...['teacher', 'student'].map((k) => map(k, [4, 4, 32])), map('mask', [4, 4, 1]), ...['masked', 'generated', 'error'].map((k) => map(k, [4, 4, 32]))];
    store.setState({ features: { step: 3, snapshot: { index: 0, label: 9, stage: 3, maps } } });
  });
}

for (const width of [1280, 390]) {
  test(`feature maps at ${width} px: no title is cut, the mask has a kept / masked legend, a channel grid can be enlarged and Esc closes it`, async ({ playground: pg }) => {
    await pg.page.setViewportSize({ width, height: 800 });
    await pg.open(tiny({ backend: 'wasm', method: 'mgd' }));
    await injectFeatures(pg.page);
    const panel = pg.page.getByTestId('feature-maps');
    await expect(pg.page.getByTestId('feature-generated')).toBeVisible();
    expect(await cutTitles(panel)).toEqual([]);
    const legend = pg.page.getByTestId('feature-mask-legend');
    await expect(legend).toBeVisible();
    await expect(legend).toContainText('kept');
    await expect(legend).toContainText('masked');

    const small = await pg.page.getByTestId('feature-teacher').boundingBox();
    await pg.page.getByRole('button', { name: 'Enlarge Teacher T' }).click();
    const dialog = pg.page.getByRole('dialog', { name: /Teacher T/ });
    await expect(dialog).toBeVisible();
    const big = await dialog.locator('canvas').boundingBox();
    expect(big!.width).toBeGreaterThan(small!.width * 1.5);
    // The enlarged grid is the same drawing: the canvas holds the channel grid at native size.
    expect(await dialog.locator('canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual(await pg.page.getByTestId('feature-teacher').evaluate((c: HTMLCanvasElement) => [c.width, c.height]));
    await pg.screenshot(`feature-enlarged-${width}`);
    await pg.page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await pg.page.emulateMedia({ colorScheme: 'dark' });
    await pg.screenshot(`feature-maps-${width}-dark`);
    expect(pg.consoleErrors).toEqual([]);
  });
}
