/**
 * 1,000 seeded hostile links opened in one page, each as a hash link (no reload: the app
 * applies a link whose hash changes, as it would one followed in the page): no page error,
 * no markup ever runs or becomes an element, and the notice names exactly the fields the
 * decoder rejected for that link (tests/configFuzz.test.ts fuzzes the decoder itself).
 */
import { decodeConfig } from '../src/core/config';
import { hostileLinks } from './hostileUrls';
import { expect, test } from './fixtures';

const N = Number(process.env.HOSTILE_N ?? 1000);
const CHUNK = 100;

interface Opened {
  url: string; // the URL the browser navigated to (HashChangeEvent.newURL)
  named: string[]; // data-field of each notice entry
  noticeText: string;
}

test('1,000 hostile links: no page error, no markup run, every rejected field named', async ({ playground: pg }) => {
  test.setTimeout(240_000);
  const links = hostileLinks(13, N);
  expect(new Set(links).size).toBeGreaterThan(N * 0.95);
  await pg.open('backend=wasm');
  await pg.backend();
  // Any element the page gains with an on* attribute, or a script, is markup that got through.
  await pg.page.evaluate(() => {
    const w = window as unknown as { __injected: string[] };
    w.__injected = [];
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes) {
          if (!(n instanceof Element)) continue;
          for (const el of [n, ...n.querySelectorAll('*')])
            if (el.tagName === 'SCRIPT' || el.tagName === 'IFRAME' || [...el.attributes].some((a) => a.name.startsWith('on') || (['href', 'src', 'action'].includes(a.name) && /^\s*javascript:/i.test(a.value))))
              w.__injected.push(el.outerHTML.slice(0, 120));
        }
    }).observe(document.documentElement, { subtree: true, childList: true });
  });

  const opened: Opened[] = [];
  const t0 = Date.now();
  for (let at = 0; at < N; at += CHUNK) {
    const chunk = await pg.page.evaluate(async (hashes: string[]) => {
      const out: Opened[] = [];
      for (const h of hashes) {
        const changed = new Promise<string>((resolve) => window.addEventListener('hashchange', (e) => resolve(e.newURL), { once: true }));
        location.hash = h;
        const url = await Promise.race([changed, new Promise<string>((r) => setTimeout(() => r('(no hashchange)'), 2000))]);
        await new Promise((r) => setTimeout(r, 0)); // React renders a store update in a task of its own
        const notice = document.querySelector('[data-testid="url-notice"]');
        const named = notice ? [...notice.querySelectorAll('li')].map((li) => li.getAttribute('data-field') ?? '(none)') : [];
        out.push({ url, named, noticeText: notice?.textContent ?? '' });
      }
      return out;
    }, links.slice(at, at + CHUNK));
    opened.push(...chunk);
  }

  console.log(`${N} links opened in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const wrong: string[] = [];
  let rejected = 0;
  for (const o of opened) {
    if (o.url === '(no hashchange)') {
      wrong.push(`no hashchange for link ${opened.indexOf(o)}`);
      continue;
    }
    const u = new URL(o.url);
    const expected = decodeConfig(u.search + u.hash).issues.map((i) => i.field);
    rejected += expected.length;
    if (JSON.stringify(o.named) !== JSON.stringify(expected)) wrong.push(`${o.url.slice(0, 200)}: notice names ${JSON.stringify(o.named)}, decoder rejected ${JSON.stringify(expected)}`);
  }
  expect(wrong.length, wrong.slice(0, 5).join("\n")).toBe(0);
  expect(rejected).toBeGreaterThan(N); // the links really were hostile
  const after = await pg.page.evaluate(() => ({ pwned: (window as unknown as { __pwned?: unknown }).__pwned, injected: (window as unknown as { __injected: string[] }).__injected }));
  expect(after).toEqual({ pwned: undefined, injected: [] });
  const pageErrors = pg.consoleErrors.filter((e) => e.startsWith('pageerror'));
  expect(pageErrors.length, pageErrors.slice(0, 5).join('\n')).toBe(0);
  // Still a working page: the last link's config is in the form and a tiny run trains. The hash
  // joins the query the last hostile link left, so it names what could keep Train from starting
  // (a dataset not loaded here, a teacher not trained here, H-GKD's longer phases).
  await pg.page.evaluate(() => (location.hash = 'dataset=mnist&teacher=resnet-t&method=mgd&student=resnet-xs&batch=8&subset=64&steps=3&eval=1000&testSize=100&backend=wasm'));
  await expect(pg.field('steps')).toHaveValue('3');
  await pg.trainToEnd();
  expect(await pg.status()).toBe('done');
});
