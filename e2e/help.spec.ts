/**
 * What the page says about a run and how it helps a new user (issue 15, items 7–9, 11–13): the
 * final evaluation (quick or full) in the outcome line and the runs table, what a starting run is
 * doing, time left for a run and a batch, one progress bar over H-GKD's phases, the "How this
 * works" panel, presets that say what they changed, a form showing only what the method reads,
 * a student typed as a spec, keyboard shortcuts, delete with undo, and the phone layout.
 */
import { type Page } from '@playwright/test';
import { SCREENSHOTS, expect, test, tiny } from './fixtures';

/** Records every text the status line shows and every (done, total) of the progress bar from now on. */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __statuses: string[]; __bar: [number, number][]; __phases: string[] };
    w.__statuses = [];
    w.__bar = [];
    w.__phases = [];
    const progress = document.querySelector('[data-testid="progress"]')!;
    const take = () => {
      const s = progress.querySelector('[data-testid="run-status"]')?.textContent ?? '';
      if (w.__statuses.at(-1) !== s) w.__statuses.push(s);
      const phase = progress.querySelector('[data-testid="progress-phase"]')?.textContent;
      if (phase && w.__phases.at(-1) !== phase) w.__phases.push(phase);
      w.__bar.push([Number(progress.getAttribute('data-done')), Number(progress.getAttribute('data-total'))]);
    };
    new MutationObserver(take).observe(progress, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}
const statuses = (page: Page) => page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
const phases = (page: Page) => page.evaluate(() => (window as unknown as { __phases: string[] }).__phases);
const bar = (page: Page) => page.evaluate(() => (window as unknown as { __bar: [number, number][] }).__bar);

test('a short run ends on a quick final evaluation and says so; the status says what a starting run does', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' })); // 3 steps × 8 images: auto → quick (100 test images)
  expect(await pg.backend()).toBe('wasm');
  expect(pg.page.url()).not.toContain('finalTest'); // auto is the default: old links stay as they were
  await recordProgress(pg.page);
  await pg.trainToEnd();
  await expect(pg.page.getByTestId('summary')).toHaveText(/^test acc \d+(\.\d)?% \(quick: 100 test images\)$/);
  await expect(pg.page.getByTestId('summary')).toHaveAttribute('data-final-eval', 'quick');
  const seen = await statuses(pg.page);
  for (const s of ['loading data and teacher…', 'computing teacher outputs…', 'first step…', 'evaluating on 100 test images…', 'done']) expect(seen).toContain(s);
  expect(seen.indexOf('first step…')).toBeLessThan(seen.indexOf('done'));
  await expect(pg.runRows().first().getByTestId('final-eval')).toHaveText('quick');
  expect(pg.consoleErrors).toEqual([]);
});

test('finalTest=full measures the whole test set, in the outcome line and the runs table', async ({ playground: pg }) => {
  test.setTimeout(120_000);
  await pg.open(tiny({ backend: 'wasm', finalTest: 'full' }));
  await expect(pg.field('finalTest')).toHaveValue('full');
  await recordProgress(pg.page);
  await pg.button('Train').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done', { timeout: 100_000 });
  await expect(pg.page.getByTestId('summary')).toContainText('(full test set, 10,000 images)');
  expect(await statuses(pg.page)).toContain('evaluating on 10,000 test images…');
  await expect(pg.runRows().first().getByTestId('final-eval')).toHaveText('full');
});

test('a run shows the time left while it trains', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', steps: 5000 }));
  await pg.backend();
  await pg.button('Train').click();
  await expect(pg.page.getByTestId('run-eta')).toHaveText(/^≈ (\d+ h )?(\d+ min )?\d+ (s|min) left$/, { timeout: 45_000 });
  await pg.button('Stop').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done');
  await expect(pg.page.getByTestId('run-eta')).toHaveCount(0);
});

test('a batch shows the time left of all its runs', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', steps: 400 }));
  await pg.backend();
  const panel = pg.page.getByTestId('batch-paper');
  await panel.getByLabel('Seeds per setting (paper)').fill('1');
  await panel.getByRole('button', { name: 'Run paper comparison' }).click();
  await expect(pg.page.getByTestId('batch-eta-paper')).toHaveText(/≈ (\d+ min )?\d+ s left/, { timeout: 45_000 });
  await panel.getByRole('button', { name: 'Stop' }).click();
  await expect(pg.page.getByTestId('batch-eta-paper')).toHaveCount(0);
});

test('H-GKD: one progress bar over its three phases never goes back and names the phase', async ({ playground: pg }) => {
  test.setTimeout(120_000);
  await pg.open(tiny({ backend: 'wasm', method: 'hgkd', subset: 16, batch: 4, steps: 3, ftSteps: 3, queue: 16, eval: 1000 }));
  await pg.backend();
  await recordProgress(pg.page);
  await pg.button('Train').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done', { timeout: 100_000 });
  expect(await phases(pg.page)).toEqual(['distillation (phase 1 of 3)', 'fine-tune (phase 2 of 3)', 'scratch baseline (phase 3 of 3)']);
  const values = (await bar(pg.page)).filter(([, total]) => total > 0);
  expect(values.every(([, total]) => total === 9)).toBe(true); // 3 + 3 + 3 steps
  for (let i = 1; i < values.length; i++) expect(values[i][0], `bar at ${i}: ${JSON.stringify(values)}`).toBeGreaterThanOrEqual(values[i - 1][0]);
  expect(values.at(-1)![0]).toBe(9);
  expect(await statuses(pg.page)).toContain('evaluating on 100 test images…');
  await expect(pg.page.getByTestId('hgkd-final-eval')).toHaveText('(quick: 100 test images)');
});

test('"How this works" explains the page, links the papers and lists the shortcuts', async ({ playground: pg }) => {
  await pg.open();
  const help = pg.page.getByTestId('how-it-works');
  await expect(help).not.toHaveAttribute('open', '');
  await help.getByText('How this works').click();
  await expect(help.getByRole('link', { name: 'arXiv 2205.01529' })).toHaveAttribute('href', 'https://arxiv.org/abs/2205.01529');
  await expect(help.getByRole('link', { name: 'arXiv 2309.09571' })).toHaveAttribute('href', 'https://arxiv.org/abs/2309.09571');
  await expect(help.getByRole('link', { name: 'official code' })).toHaveAttribute('href', 'https://github.com/yzd-v/MGD');
  const difference = help.locator('dd', { hasText: 'How far the student' });
  for (const text of ['scale grows with the feature size', 'Under mimic it falls', 'need not fall', 'Fig. 3']) await expect(difference).toContainText(text);
  await expect(help.getByTestId('shortcut-list')).toContainText('Space');
  await expect(help.getByTestId('shortcut-list')).toContainText('→');
  await expect(help.getByTestId('shortcut-list')).toContainText('Esc');
  await pg.page.setViewportSize({ width: 1280, height: 800 });
  await help.screenshot({ path: `${SCREENSHOTS}/help-panel.png` });
});

test('presets say what they changed and which is active', async ({ playground: pg }) => {
  await pg.open();
  const kd = pg.page.locator('[data-preset="kd-baseline"]');
  const paper = pg.page.locator('[data-preset="mgd-paper"]');
  await expect(paper).toHaveAttribute('aria-pressed', 'true'); // the defaults are the paper's settings
  await expect(kd).toHaveAttribute('aria-pressed', 'false');
  await kd.click();
  await expect(kd).toHaveAttribute('aria-pressed', 'true');
  await expect(paper).toHaveAttribute('aria-pressed', 'false');
  const changes = pg.page.getByTestId('preset-changes');
  await expect(changes).toContainText('KD baseline changed');
  await expect(changes.locator('[data-key="method"]')).toHaveText('Method mgd → kd');
  await kd.click();
  await expect(changes).toHaveText('KD baseline: already set, nothing changed.');
  await pg.setField('kdT', '6'); // no longer the preset's settings
  await expect(kd).toHaveAttribute('aria-pressed', 'false');
  await expect(changes).toHaveCount(0);
});

test('the form shows the fields the method reads; the rest are collapsed', async ({ playground: pg }) => {
  await pg.open(); // mgd
  await expect(pg.field('alpha')).toBeVisible();
  await expect(pg.field('gen')).toBeVisible();
  for (const key of ['kdT', 'kdW', 'maskRatio', 'queue', 'tau', 'sparse', 'mimTeacher', 'ftSteps']) await expect(pg.field(key)).toBeHidden();
  await expect(pg.page.getByTestId('unused-method')).toContainText('20 fields mgd does not read');
  await pg.page.getByTestId('unused-method').locator('summary').click();
  await expect(pg.field('kdT')).toBeVisible(); // still there, for a link that carries it
  await pg.field('method').selectOption('kd');
  await expect(pg.field('kdT')).toBeVisible();
  await expect(pg.page.getByTestId('unused-method').locator('#field-lambda')).toHaveCount(1); // now among the unused
  await expect(pg.page.getByTestId('unused-method').locator('#field-kdT')).toHaveCount(0);
});

test('the method picker shows the chosen method\'s loss in one line, and its own rows', async ({ playground: pg }) => {
  await pg.open(); // mgd
  const formula = pg.page.locator('#field-method-formula');
  await expect(formula).toHaveText('L = CE + α · Σ(G(align(S) ⊙ M) − T)² / N');
  await pg.field('method').selectOption('rkd');
  await expect(formula).toContainText('w_d · Huber(d_S/μ_S, d_T/μ_T) + w_a · Huber(cos∠_S, cos∠_T)');
  await expect(pg.field('rkdDist')).toBeVisible();
  await expect(pg.field('rkdDist')).toHaveValue('25');
  await expect(pg.field('atBeta')).toBeHidden();
  await pg.field('method').selectOption('at');
  await expect(formula).toContainText('a(F) = normalise(mean_c F²)');
  await expect(pg.field('atBeta')).toHaveValue('1000');
});

test('keyboard: Space trains and pauses, → steps, Esc stops; not while typing in a field', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', steps: 5000 }));
  await pg.backend();
  await pg.field('seed').focus();
  await pg.page.keyboard.press('Space');
  await pg.page.waitForTimeout(300);
  expect(await pg.status()).toBe('idle');
  await pg.field('seed').blur();
  await pg.page.keyboard.press('Space');
  await expect.poll(() => pg.step(), { timeout: 45_000 }).toBeGreaterThanOrEqual(2);
  await pg.page.keyboard.press('Space');
  await expect(pg.progress()).toHaveAttribute('data-status', 'paused');
  const paused = await pg.step();
  await pg.page.keyboard.press('ArrowRight');
  await expect(pg.progress()).toHaveAttribute('data-step', String(paused + 1));
  await pg.page.keyboard.press('Space');
  await expect(pg.progress()).toHaveAttribute('data-status', 'running');
  await pg.page.keyboard.press('Escape');
  await expect(pg.progress()).toHaveAttribute('data-status', 'done');
  await expect(pg.page.getByTestId('summary')).toContainText('stopped at step');
  expect(pg.consoleErrors).toEqual([]);
});

test('deleting a run offers Undo until the next delete; Undo brings the run back, stored', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  await pg.backend();
  await pg.trainToEnd();
  await pg.trainToEnd();
  await expect(pg.runRows()).toHaveCount(2);
  await expect.poll(() => pg.savedRunCount()).toBe(2);
  const undo = pg.page.getByTestId('undo-delete');
  await pg.runRows().getByRole('button', { name: 'Delete run 1' }).click();
  await expect(undo).toContainText('Run #1 deleted');
  await expect.poll(() => pg.savedRunCount()).toBe(1);
  await undo.getByRole('button', { name: 'Undo' }).click();
  await expect(undo).toHaveCount(0);
  await expect(pg.runRows()).toHaveCount(2);
  await expect(pg.runRows().getByRole('button', { name: 'Delete run 1' })).toBeVisible();
  await expect.poll(() => pg.savedRunCount()).toBe(2);
  // A second delete replaces the offer: only the latest delete can be undone.
  await pg.runRows().getByRole('button', { name: 'Delete run 1' }).click();
  await pg.runRows().getByRole('button', { name: 'Delete run 2' }).click();
  await expect(undo).toContainText('Run #2 deleted');
  await undo.getByRole('button', { name: 'Undo' }).click();
  await expect(pg.runRows()).toHaveCount(1);
  await expect(pg.runRows().getByRole('button', { name: 'Delete run 2' })).toBeVisible();
  await pg.page.reload();
  await expect(pg.runRows()).toHaveCount(1);
  expect(pg.consoleErrors).toEqual([]);
});

test('a student typed as a spec: the picker opens an entry, shows its size, trains it, and names a bad spec', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  await pg.field('student').selectOption({ label: 'spec… (any architecture)' });
  const entry = pg.page.getByLabel('Student spec');
  await entry.fill('resnet:4-8-8x1');
  await entry.press('Enter');
  await expect(pg.page).toHaveURL(/student=resnet%3A4-8-8x1|student=resnet:4-8-8x1/);
  await expect(pg.page.locator('.model-picker').filter({ has: entry })).toContainText(/\d+k params/);
  await pg.backend();
  await pg.trainToEnd();
  await expect(pg.runRows().first()).toHaveAttribute('data-status', 'completed');
  expect(await pg.page.evaluate(() => window.__distill!.store.getState().runs[0].config.student)).toBe('resnet:4-8-8x1');
  await entry.fill('resnet:4-8');
  await entry.press('Enter');
  await expect(pg.page.locator('#field-student-error')).toBeVisible();
  await expect(pg.page.locator('#field-student-error')).not.toBeEmpty();
  expect(pg.consoleErrors).toEqual([]);
});

test.describe('phone, 390 px', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('Train and the α slider are on the first screen; Train stays in view; the runs table actions are reachable', async ({ playground: pg }) => {
    await pg.open(tiny({ backend: 'wasm' }));
    await pg.backend();
    const train = pg.button('Train');
    const inView = async (loc: ReturnType<Page['locator']>) => {
      const box = (await loc.boundingBox())!;
      return box.y >= 0 && box.y + box.height <= 844 && box.x >= 0 && box.x + box.width <= 390;
    };
    expect(await inView(train)).toBe(true);
    expect(await inView(pg.page.locator('.slider-field input[type="range"]').first())).toBe(true);
    await pg.screenshot('phone-top');
    // Scrolled to the end of the form: the run bar is still at the top.
    await pg.field('backend').scrollIntoViewIfNeeded();
    expect(await inView(train)).toBe(true);
    await pg.trainToEnd();
    const del = pg.runRows().first().getByRole('button', { name: /Delete run/ });
    await del.scrollIntoViewIfNeeded();
    expect(await inView(del)).toBe(true);
    await pg.page.screenshot({ path: `${SCREENSHOTS}/phone-runs.png` });
  });
});

test('screenshots: desktop and dark theme', async ({ playground: pg }) => {
  await pg.page.setViewportSize({ width: 1280, height: 800 });
  await pg.open(tiny({ backend: 'wasm' }));
  await pg.backend();
  await pg.page.locator('[data-preset="kd-baseline"]').click();
  await pg.trainToEnd();
  await pg.page.screenshot({ path: `${SCREENSHOTS}/desktop-help-light.png` });
  await pg.page.emulateMedia({ colorScheme: 'dark' });
  await pg.page.getByTestId('how-it-works').getByText('How this works').click();
  await pg.screenshot('desktop-help-dark');
  await pg.page.setViewportSize({ width: 390, height: 844 });
  await pg.page.screenshot({ path: `${SCREENSHOTS}/phone-dark.png` });
});
