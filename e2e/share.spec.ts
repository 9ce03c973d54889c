/** Sharing: Copy link reopens every field exactly; shared values are data, never markup. */
import type { Page } from '@playwright/test';
import { DEFAULT_CONFIG, FIELDS } from '../src/core/config';
import { expect, test } from './fixtures';

/** Every field away from its default (the hgkd ones too), so a lost field cannot pass unnoticed. */
const SHARED =
  'v=2&dataset=fashion&teacher=resnet-s&student=mobilenet-s&method=mgd%2Bkd&alpha=0.0012&lambda=0.65&mask=channel&gen=3x5&stage=2,3&kdT=2&kdW=0.5' +
  '&maskRatio=0.4&queue=512&tau=0.1&mseW=2&simW=0.5&sparse=0&unet=0&sim=0&ftSteps=77&ftMode=linear' +
  '&lr=0.0003&batch=32&steps=123&subset=1000&eval=40&testSize=500&finalTest=quick&seed=9&backend=wasm' +
  '&alphaAt=50:0.003&lambdaAt=60:0.7' +
  '&atBeta=500&rkdDist=20&rkdAngle=40&wsldT=3&wsldW=2&srrlW=0.5&crdW=0.5&crdK=256&ofdW=0.002' +
  '&lrSchedule=step&lrFloor=0.05&lrEvery=50&lrGamma=0.5&warmup=5&optimizer=sgd&momentum=0.8&wd=0.001';

/** What the form shows for every FIELDS row (a checkbox as its state). */
function formValues(page: Page): Promise<Record<string, string>> {
  const keys: string[] = FIELDS.map((f) => f.key);
  return page.evaluate((ks: string[]) => {
    const out: Record<string, string> = {};
    for (const k of ks) {
      const el = document.getElementById(`field-${k}`) as HTMLInputElement | HTMLSelectElement | null;
      out[k] = !el ? 'MISSING' : el instanceof HTMLInputElement && el.type === 'checkbox' ? String(el.checked) : el.value;
    }
    return out;
  }, keys);
}

test('Copy link copies the URL, says so, and the link restores every field', async ({ playground: pg, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await pg.open(SHARED);
  await expect(pg.page.getByTestId('url-notice')).toHaveCount(0); // every value above is valid
  await pg.setField('alpha', '0.0021'); // typed
  const slider = pg.page.getByRole('slider', { name: /Mask ratio λ slider/ });
  await slider.focus();
  await slider.press('ArrowRight'); // keyboard on the λ slider commits on key-up
  await expect(pg.page).toHaveURL(/lambda=0\.651&/); // one slider position: 0.95/1000, to 3 digits
  await pg.button('Copy link').click();
  await expect(pg.page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  const copied = await pg.page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(pg.page.url());
  expect(copied).toContain('alpha=0.0021');

  const before = await formValues(pg.page);
  expect(Object.values(before)).not.toContain('MISSING');
  const config = await pg.page.evaluate(() => window.__distill!.store.getState().config);
  for (const f of FIELDS) {
    if (f.kind === 'choice' && f.choices.length < 2) continue; // nothing else to pick
    expect(config[f.key], `${f.key} differs from its default`).not.toEqual(DEFAULT_CONFIG[f.key]);
  }

  const other = await context.newPage();
  const pg2 = new (pg.constructor as new (p: Page) => typeof pg)(other);
  await other.goto(copied, { waitUntil: 'domcontentloaded' });
  await expect(other.locator('#field-dataset')).toHaveValue('fashion');
  expect(await formValues(other)).toEqual(before);
  expect(await other.evaluate(() => window.__distill!.store.getState().config)).toEqual(config);
  await expect(other.getByTestId('url-notice')).toHaveCount(0);
  expect(pg.consoleErrors).toEqual([]);
  expect(pg2.consoleErrors).toEqual([]);
});

test('markup in a link is shown as text: no element, no script, every field named', async ({ playground: pg }) => {
  const img = '<img src=x onerror="window.__pwned=1">';
  const script = '"><script>window.__pwned=2</script>';
  const query = Object.entries({
    student: img, teacher: script, method: img, stage: script, gen: '<svg onload="window.__pwned=3">', seed: img,
    [`<b onmouseover="window.__pwned=4">x</b>`]: '1', backend: 'wasm',
  })
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  await pg.open(query);
  const notice = pg.page.getByTestId('url-notice');
  await expect(notice).toBeVisible();
  for (const field of ['student', 'teacher', 'method', 'stage', 'gen', 'seed']) await expect(notice.locator(`li[data-field="${field}"]`)).toBeVisible();
  await expect(notice).toContainText('<img src=x onerror=');
  await expect(notice).toContainText('<script>');
  expect(await pg.page.locator('img, svg[onload], script:not([src]):not([type="module"]), b[onmouseover]').count()).toBe(0);
  // Defaults are in place and the page works.
  await expect(pg.field('student')).toHaveValue('resnet-s');
  await expect(pg.field('method')).toHaveValue('mgd');
  await pg.backend();
  await pg.page.waitForTimeout(300);
  expect(await pg.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await pg.screenshot('url-injection');
  expect(pg.consoleErrors).toEqual([]);
});
