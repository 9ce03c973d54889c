/** The worker client against a fake Worker: commands out, events in, stale runs dropped. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config';
import { TrainingClient, type WorkerPort } from './client';
import type { Command, WorkerEvent } from './protocol';

class FakeWorker implements WorkerPort {
  posted: Command[] = [];
  terminated = false;
  onmessage: WorkerPort['onmessage'] = null;
  onerror: WorkerPort['onerror'] = null;
  onmessageerror: WorkerPort['onmessageerror'] = null;
  postMessage(message: Command): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  send(data: unknown): void {
    this.onmessage?.call(this as unknown as Worker, { data } as MessageEvent);
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const client = new TrainingClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  });
  const events: WorkerEvent[] = [];
  client.subscribe((e) => events.push(e));
  return { client, workers, events };
}

describe('TrainingClient', () => {
  it('creates the worker on the first command and numbers runs', () => {
    const { client, workers } = setup();
    expect(workers).toHaveLength(0);
    expect(client.start(DEFAULT_CONFIG)).toBe(1);
    client.set('alpha', 1e-3);
    expect(client.start(DEFAULT_CONFIG)).toBe(2);
    expect(workers).toHaveLength(1);
    expect(workers[0].posted.map((c) => c.type)).toEqual(['start', 'set', 'start']);
  });

  it('drops events of replaced runs, passes init events', () => {
    const { client, workers, events } = setup();
    client.start(DEFAULT_CONFIG);
    client.start(DEFAULT_CONFIG);
    const w = workers[0];
    w.send({ type: 'progress', runId: 1, points: [], step: 1, steps: 3, stepsPerSec: 1, state: 'running' });
    w.send({ type: 'done', runId: 2, summary: {} });
    w.send({ type: 'ready', runId: null, backend: 'wasm', adapter: null });
    expect(events.map((e) => [e.type, e.runId])).toEqual([['done', 2], ['ready', null]]);
  });

  it('a crashed worker ends the run as worker-lost and is replaced at once, with the last init', () => {
    const { client, workers, events } = setup();
    client.init('wasm');
    client.start(DEFAULT_CONFIG);
    workers[0].onerror?.call(workers[0] as unknown as Worker, { message: 'boom', preventDefault() {} } as ErrorEvent);
    expect(workers[0].terminated).toBe(true);
    expect(events).toEqual([{ type: 'error', runId: 1, kind: 'worker-lost', message: "the training worker crashed: boom. A fresh worker has started; the run's points so far are kept." }]);
    expect(workers).toHaveLength(2);
    expect(workers[1].posted).toEqual([{ type: 'init', backend: 'wasm' }]);
    expect(client.start(DEFAULT_CONFIG)).toBe(2);
    expect(workers[1].posted.at(-1)).toMatchObject({ type: 'start', runId: 2 });
  });

  it('a crash with no run active is reported without a run id', () => {
    const { client, workers, events } = setup();
    client.init('auto');
    workers[0].onerror?.call(workers[0] as unknown as Worker, { message: 'boom', preventDefault() {} } as ErrorEvent);
    expect(events).toEqual([expect.objectContaining({ type: 'error', runId: null, kind: 'worker-lost' })]);
  });

  it('matches export answers to their requests, whatever run they come from; a crash rejects the waiting ones', async () => {
    const { client, workers, events } = setup();
    const first = client.exportStudent();
    const second = client.exportStudent();
    const w = workers[0];
    expect(w.posted).toEqual([{ type: 'export', requestId: 1 }, { type: 'export', requestId: 2 }]);
    const weights = new ArrayBuffer(8);
    w.send({ type: 'exported', runId: 7, requestId: 2, step: 3, model: { modelJson: { arch: 'a' }, weights } });
    w.send({ type: 'exported', runId: null, requestId: 1, step: 0, model: null, message: 'no trained student to export yet' });
    await expect(second).resolves.toEqual({ modelJson: { arch: 'a' }, weights, step: 3 });
    await expect(first).rejects.toThrow('no trained student to export yet');
    const third = client.exportStudent();
    w.onerror?.call(w as unknown as Worker, { message: 'boom', preventDefault() {} } as ErrorEvent);
    await expect(third).rejects.toThrow(/crashed: boom/);
    expect(workers).toHaveLength(1); // never initialised: the next command brings one up
    expect(events.map((e) => e.type)).toEqual(['error']); // answers are not broadcast
  });

  it('reports messages that are not events', () => {
    const { client, workers, events } = setup();
    client.init('auto');
    workers[0].send({ hello: 1 });
    expect(events[0]).toMatchObject({ type: 'error', kind: 'internal' });
  });
});

describe('TrainingClient watchdog', () => {
  afterEach(() => vi.useRealTimers());

  const progress = (runId: number, state: 'running' | 'paused', step = 1) => ({ type: 'progress', runId, points: [], step, steps: 10, stepsPerSec: 1, state });

  it('a run whose worker goes silent for watchdog.ms ends as worker-lost; the worker is replaced', () => {
    vi.useFakeTimers();
    const { client, workers, events } = setup();
    client.watchdog.ms = 1000;
    client.init('wasm');
    client.start(DEFAULT_CONFIG);
    for (let step = 1; step <= 5; step++) {
      vi.advanceTimersByTime(900);
      workers[0].send(progress(1, 'running', step)); // each event re-arms it
    }
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(workers[0].terminated).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'error', runId: 1, kind: 'worker-lost', message: expect.stringContaining('stopped answering (no word from it in 1 s') });
    expect(workers[1].posted).toEqual([{ type: 'init', backend: 'wasm' }]);
    vi.advanceTimersByTime(5000);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1); // no run active: not watched
  });

  it('a paused run, an ended run and an idle worker are not watched; resume and step watch again', () => {
    vi.useFakeTimers();
    const { client, workers, events } = setup();
    client.watchdog.ms = 1000;
    client.start(DEFAULT_CONFIG);
    workers[0].send(progress(1, 'paused'));
    vi.advanceTimersByTime(10_000);
    expect(client.watchdog.armed).toBe(false);
    client.step();
    expect(client.watchdog.armed).toBe(true);
    workers[0].send(progress(1, 'paused', 2));
    expect(client.watchdog.armed).toBe(false);
    client.resume();
    expect(client.watchdog.armed).toBe(true);
    workers[0].send({ type: 'done', runId: 1, summary: {} });
    expect(client.watchdog.armed).toBe(false);
    client.step(); // nothing running: a step does not arm it
    client.resume();
    vi.advanceTimersByTime(10_000);
    expect(events.map((e) => e.type)).toEqual(['progress', 'progress', 'done']);
  });
});
