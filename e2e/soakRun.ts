/**
 * The soak: one run in the real page (the e2e build: production bundle plus test hooks), paused
 * at planned steps to read what it holds — the worker's tfjs tensors and bytes (its test hook,
 * src/worker/testHooks.ts), the page's and the worker's JS heap after a forced garbage
 * collection, the chart series (the store's history and the points each chart draws) — and, at
 * the end, the run's record as IndexedDB stores it. Optionally a window of the main thread while
 * it trains (long tasks over chart redraws, the progress and ETA), and a Stop (a 100,000-step
 * config is not run to its end). e2e/soak.spec.ts runs it short and asserts; `npm run soak`
 * (scripts/soak.ts) runs it long and prints the figures.
 *
 * Heaps come from the Chrome DevTools Protocol: `performance.memory` does not exist in workers and
 * in pages it is rounded to coarse buckets unless Chromium runs with --enable-precise-memory-info,
 * while CDP gives exact used sizes, and can collect garbage first, so growth is what stays alive.
 * Playwright opens CDP sessions for pages only; the worker is reached through the page's session
 * (auto-attach without flattening, Target.sendMessageToTarget).
 */
import type { Browser, CDPSession, Page } from '@playwright/test';
import type { StoredRecord } from '../src/ui/persist/runRecord';
import type { WORKER_HOOK, WorkerMemory, WorkerTestHook } from '../src/worker/testHooks';
import { CHART_TRACE_CATEGORIES, type ChartUpdates, chartUpdates, recordMainThread, restartWindow } from './mainThread';

/** The worker hook's global (a literal here: importing testHooks.ts would load tfjs into Node). */
const HOOK: typeof WORKER_HOOK = '__distillWorker';
/** The page's charts, by test id. */
export const CHARTS = ['loss', 'difference', 'accuracy'] as const;

export interface SoakPlan {
  /** The page URL (relative to the test's baseURL, or absolute). */
  url: string;
  /** Steps at which the run is paused and read (it pauses a step or a few later); the first is the warm-up reference. */
  sampleAt: number[];
  /** A main-thread window of `ms` after step `afterStep` (before the samples that follow it). */
  window?: { afterStep: number; ms: number };
  /** Stop the run once it has taken this many steps (else it runs to its end). */
  stopAt?: number;
  /** Sample the worker's heap from the first sample to the last and report what is still alive, by allocation site. */
  heapProfile?: boolean;
  timeoutMs: number;
  /** Each sample as it is read (the script's progress lines). */
  onSample?: (s: Sample) => void;
}

export interface Sample {
  step: number;
  tensors: number;
  bytes: number;
  pageHeap: number; // bytes used after a forced GC
  workerHeap: number;
  storePoints: number; // the run's history in the store
  drawn: number; // most points one chart draws (its data-points)
}

export interface Responsiveness extends ChartUpdates {
  /** The ETA the progress bar showed in the window ('' if none) and the steps the bar advanced. */
  eta: string;
  stepsAdvanced: number;
}

export interface SoakResult {
  backend: string;
  steps: number; // steps taken
  status: string; // the run's record status: completed, stopped
  wallSeconds: number; // Train to done, the sampling pauses left out
  stepsPerSec: number; // the worker's figure: training steps per second of training time
  samples: Sample[];
  responsiveness: Responsiveness | null;
  storePoints: number; // at the end
  drawn: Record<string, number>; // at the end, per chart
  recordBytes: number; // the stored record as JSON, UTF-8
  recordPoints: number;
  /** With plan.heapProfile: what the worker allocated between the first and the last sample and still holds. */
  heapSites: HeapSite[] | null;
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Live bytes the worker's sampling heap profile puts at one allocation site (innermost frame first). */
export interface HeapSite {
  site: string;
  bytes: number;
}

/** Heaps of the page and of the training worker, through CDP (see the top of this file). */
class Heaps {
  private worker: string | null = null;
  private id = 0;
  private readonly replies = new Map<number, { resolve: (r: any) => void; reject: (e: Error) => void }>(); // eslint-disable-line @typescript-eslint/no-explicit-any

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.attachedToTarget', (e) => {
      // The training worker; its wasm threads are its own workers (blob: URLs), not the page's.
      if (e.targetInfo.type === 'worker' && !e.targetInfo.url.startsWith('blob:')) this.worker = e.sessionId;
    });
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      const reply = m.id === undefined ? undefined : this.replies.get(m.id);
      if (!reply) return;
      this.replies.delete(m.id!);
      if (m.error) reply.reject(new Error(m.error.message));
      else reply.resolve(m.result);
    });
  }

  /** Before the page loads: the worker is attached when it starts. */
  static async attach(page: Page): Promise<Heaps> {
    const heaps = new Heaps(await page.context().newCDPSession(page));
    await heaps.cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return heaps;
  }

  private inWorker(method: string, params: Record<string, unknown> = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const sessionId = this.worker;
    if (!sessionId) throw new Error('the training worker was never attached');
    const id = ++this.id;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  }

  /** Starts V8's sampling heap profiler in the worker (one sample per ~`intervalBytes` allocated). */
  async startWorkerProfile(intervalBytes = 4096): Promise<void> {
    await this.inWorker('HeapProfiler.enable');
    await this.inWorker('HeapProfiler.startSampling', { samplingInterval: intervalBytes });
  }

  /**
   * After a full GC, the sampled allocations since startWorkerProfile that are still alive,
   * grouped by allocation site (the innermost frames of its stack), largest first.
   */
  async workerProfile(top = 15): Promise<HeapSite[]> {
    await this.inWorker('HeapProfiler.collectGarbage');
    const { profile } = (await this.inWorker('HeapProfiler.getSamplingProfile')) as { profile: { head: ProfileNode } };
    await this.inWorker('HeapProfiler.stopSampling');
    const sites = new Map<string, number>();
    const walk = (n: ProfileNode, stack: string[]) => {
      const here = [...stack, `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`];
      if (n.selfSize > 0) {
        const site = here.slice(-4).reverse().join(' < ');
        sites.set(site, (sites.get(site) ?? 0) + n.selfSize);
      }
      for (const c of n.children) walk(c, here);
    };
    walk(profile.head, []);
    return [...sites].map(([site, bytes]) => ({ site, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, top);
  }

  /** Used JS heap bytes of each after a full garbage collection. */
  async measure(): Promise<{ page: number; worker: number }> {
    await this.cdp.send('HeapProfiler.collectGarbage');
    await this.inWorker('HeapProfiler.collectGarbage');
    const page = (await this.cdp.send('Runtime.getHeapUsage')).usedSize;
    const worker = (await this.inWorker('Runtime.getHeapUsage')).usedSize as number;
    return { page, worker };
  }
}

/** Each chart's drawn point count (its data-points attribute). */
async function drawnPoints(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const id of CHARTS) out[id] = Number(await page.getByTestId(`chart-${id}`).getAttribute('data-points'));
  return out;
}

/** The newest record of the page's IndexedDB 'runs' store (what a reload loads), or null. */
function storedRecord(page: Page): Promise<StoredRecord | null> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('distill-playground');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('runs')) return resolve(null);
          const all = db.transaction('runs').objectStore('runs').getAll();
          all.onsuccess = () => {
            db.close();
            const records = all.result as StoredRecord[];
            resolve(records.sort((a, b) => b.run.createdAt - a.run.createdAt)[0] ?? null);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

export async function soakRun(page: Page, browser: Browser, plan: SoakPlan): Promise<SoakResult> {
  const { timeoutMs } = plan;
  const wait = { timeout: timeoutMs, polling: 250 };
  const heaps = await Heaps.attach(page);
  if (plan.window) await page.addInitScript(recordMainThread);
  await page.goto(plan.url);
  await page.waitForFunction(() => window.__distill?.store.getState().backend !== null && window.__distill!.store.getState().runsLoaded, null, wait);
  const worker = page.workers().find((w) => /\/(assets\/worker-|src\/worker\/worker)/.test(w.url()));
  if (!worker) throw new Error(`no training worker among ${page.workers().map((w) => w.url()).join(', ')}`);
  const memory = () => worker.evaluate((name) => ((self as unknown as Record<string, WorkerTestHook>)[name]).memory(), HOOK) as Promise<WorkerMemory>;
  const stepAtLeast = (step: number) => page.waitForFunction((n) => { const s = window.__distill!.store.getState(); return s.step >= n || s.status === 'done' || s.status === 'failed'; }, step, wait);
  const ended = () => page.evaluate(() => ['done', 'failed'].includes(window.__distill!.store.getState().status));

  const started = Date.now();
  let pausedMs = 0;
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const samples: Sample[] = [];
  let responsiveness: Responsiveness | null = null;
  let heapSites: HeapSite[] | null = null;
  for (const [k, at] of plan.sampleAt.entries()) {
    if (plan.window && !responsiveness && plan.window.afterStep <= at) responsiveness = await mainThreadWindow(page, browser, plan.window, stepAtLeast);
    await stepAtLeast(at);
    if (await ended()) throw new Error(`the run ended before step ${at}: sample steps must lie before its end`);
    const pausedAt = Date.now();
    await page.evaluate(() => window.__distill!.store.getState().pause());
    await page.waitForFunction(() => window.__distill!.store.getState().status === 'paused', null, wait);
    const { tensors, bytes } = await memory().then((m) => ({ tensors: m.numTensors, bytes: m.numBytes }));
    const heap = await heaps.measure();
    const { step, storePoints } = await page.evaluate(() => { const s = window.__distill!.store.getState(); return { step: s.step, storePoints: s.points.length }; });
    samples.push({ step, tensors, bytes, pageHeap: heap.page, workerHeap: heap.worker, storePoints, drawn: Math.max(...Object.values(await drawnPoints(page))) });
    plan.onSample?.(samples.at(-1)!);
    if (plan.heapProfile && k === 0) await heaps.startWorkerProfile();
    if (plan.heapProfile && k === plan.sampleAt.length - 1 && k > 0) heapSites = await heaps.workerProfile();
    await page.evaluate(() => window.__distill!.store.getState().resume());
    await page.waitForFunction(() => window.__distill!.store.getState().status !== 'paused', null, wait);
    pausedMs += Date.now() - pausedAt;
  }
  if (plan.window && !responsiveness) responsiveness = await mainThreadWindow(page, browser, plan.window, stepAtLeast);
  if (plan.stopAt !== undefined) {
    await stepAtLeast(plan.stopAt);
    await page.evaluate(() => window.__distill!.store.getState().stop());
  }
  await page.waitForFunction(() => ['done', 'failed'].includes(window.__distill!.store.getState().status), null, wait);
  const wallSeconds = (Date.now() - started - pausedMs) / 1000;
  const end = await page.evaluate(() => {
    const s = window.__distill!.store.getState();
    return { status: s.status, error: s.error?.message ?? null, summary: s.summary, backend: s.backend?.name ?? '?', points: s.points.length };
  });
  if (end.status === 'failed' || !end.summary) throw new Error(`the run failed: ${end.error}`);
  // The charts redraw at most every REDRAW_MS from the store: give the last one time to land.
  await page.waitForTimeout(1500);
  const drawn = await drawnPoints(page);
  await page.waitForFunction(() => window.__distill!.store.getState().currentSavedId !== null, null, wait);
  let record: Awaited<ReturnType<typeof storedRecord>> = null;
  for (const t0 = Date.now(); !record && Date.now() - t0 < 10_000; await page.waitForTimeout(200)) record = await storedRecord(page);
  if (!record) throw new Error('the run was not stored in IndexedDB');
  return {
    backend: end.backend,
    steps: end.summary.steps,
    status: end.summary.reason,
    wallSeconds,
    stepsPerSec: end.summary.stepsPerSec,
    samples,
    responsiveness,
    storePoints: end.points,
    drawn,
    recordBytes: new TextEncoder().encode(JSON.stringify(record)).length,
    recordPoints: record.run.points.length,
    heapSites,
  };
}

/** After step `afterStep`: `ms` of the main thread (long tasks over chart redraws), the ETA and the steps the bar advanced. */
async function mainThreadWindow(page: Page, browser: Browser, window: { afterStep: number; ms: number }, stepAtLeast: (n: number) => Promise<unknown>): Promise<Responsiveness> {
  await stepAtLeast(window.afterStep);
  const progress = page.getByTestId('progress');
  const before = Number(await progress.getAttribute('data-step'));
  // Tracing first (and under way in the renderer): a long task of the window must lie inside the trace to have its CPU time.
  await browser.startTracing(page, { categories: CHART_TRACE_CATEGORIES });
  await page.waitForTimeout(500);
  await restartWindow(page);
  await page.waitForTimeout(window.ms);
  const eta = ((await page.getByTestId('run-eta').textContent({ timeout: 1000 }).catch(() => null)) ?? '').trim();
  const updates = await chartUpdates(page, () => browser.stopTracing());
  return { ...updates, eta, stepsAdvanced: updates.steps - before };
}

/** The figures a soak is judged by, from its samples (the first one is the warm-up reference). */
export interface SoakFigures {
  warm: Sample;
  end: Sample;
  tensorSpread: number; // max − min of the tensor count over the samples
  byteSpread: number;
  pageHeapGrowth: number; // the most any later sample held above the warm-up one, bytes
  workerHeapGrowth: number;
  maxStorePoints: number;
  maxDrawn: number; // most points any chart drew, at any sample or at the end
  recordBytesPer1000Steps: number;
}

export function soakFigures(r: SoakResult): SoakFigures {
  const [warm, ...rest] = r.samples;
  if (!warm) throw new Error('a soak needs at least one sample');
  const spread = (k: 'tensors' | 'bytes') => Math.max(...r.samples.map((s) => s[k])) - Math.min(...r.samples.map((s) => s[k]));
  const growth = (k: 'pageHeap' | 'workerHeap') => Math.max(0, ...rest.map((s) => s[k] - warm[k]));
  return {
    warm,
    end: r.samples.at(-1)!,
    tensorSpread: spread('tensors'),
    byteSpread: spread('bytes'),
    pageHeapGrowth: growth('pageHeap'),
    workerHeapGrowth: growth('workerHeap'),
    maxStorePoints: Math.max(r.storePoints, ...r.samples.map((s) => s.storePoints)),
    maxDrawn: Math.max(...Object.values(r.drawn), ...r.samples.map((s) => s.drawn)),
    recordBytesPer1000Steps: (r.recordBytes / r.steps) * 1000,
  };
}
