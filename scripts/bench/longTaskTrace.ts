/**
 * What each long task of a Chrome trace was: for every main-thread task over 50 ms, its entry
 * point (timer, message, animation frame…), the time in rendering phases (style, layout, paint)
 * and the functions the CPU profiler sampled most inside it, by self time.
 *
 * Reads a trace recorded with TRACE_CATEGORIES (Playwright's browser.startTracing).
 */

export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing',
  'disabled-by-default-v8.cpu_profiler',
];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number; // µs
  dur?: number; // µs
  tdur?: number; // µs of the thread's CPU time (less than dur when the OS preempted it)
  cat?: string;
  id?: string;
  args?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface LongTaskReport {
  startMs: number; // since the first event of the trace
  durationMs: number;
  cpuMs: number; // the thread's CPU time in the task: on a loaded machine the rest is waiting for a core
  entry: string; // e.g. "TimerFire", "FunctionCall onmessage (client.ts)"
  phasesMs: Record<string, number>; // rendering phases inside the task
  marks: string[]; // performance.measure names overlapping the task
  topSelfMs: [string, number][]; // sampled self time by function
}

const PHASES = ['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'V8.GC_MARK_COMPACTOR'];
const ENTRIES = new Set(['TimerFire', 'FireAnimationFrame', 'EventDispatch', 'FunctionCall', 'HandlePostMessage', 'v8.callFunction', 'RunMicrotasks']);

const shortUrl = (url = '') => url.replace(/^.*\//, '').replace(/\?.*$/, '') || '(native)';
const frameName = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

/** The renderer main thread that ran the page: the one with the most user-timing or profile events. */
function pageMainThread(events: TraceEvent[]): { pid: number; tid: number } {
  const main = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busy = (t: TraceEvent) => events.filter((e) => e.pid === t.pid && e.tid === t.tid && e.ph === 'X').length;
  const best = main.map((t) => ({ t, n: busy(t) })).sort((a, b) => b.n - a.n)[0];
  if (!best) throw new Error('no renderer main thread in the trace');
  return { pid: best.t.pid, tid: best.t.tid };
}

/** CPU profile samples of the thread, as [ts µs, node]. */
function samples(events: TraceEvent[], pid: number, tid: number): [number, ProfileNode][] {
  const nodes = new Map<number, ProfileNode>();
  const out: [number, ProfileNode][] = [];
  const profile = events.find((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid);
  if (!profile) return out;
  let ts = profile.args!.data.startTime as number;
  const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === pid && e.id === profile.id).sort((a, b) => a.ts - b.ts);
  for (const c of chunks) {
    const p = c.args!.data.cpuProfile ?? {};
    for (const n of (p.nodes ?? []) as ProfileNode[]) nodes.set(n.id, n);
    const deltas = (c.args!.data.timeDeltas ?? []) as number[];
    ((p.samples ?? []) as number[]).forEach((id, i) => {
      ts += deltas[i];
      const n = nodes.get(id);
      if (n) out.push([ts, n]);
    });
  }
  return out;
}

/** The page main thread's tasks' CPU time (ms), longest first, and their sum: comparable across runs on a loaded machine, unlike wall time. */
export function taskCpuProfile(trace: { traceEvents: TraceEvent[] }): { total: number; byTask: number[] } {
  const { pid, tid } = pageMainThread(trace.traceEvents);
  const ms = trace.traceEvents
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'))
    .map((e) => (e.tdur ?? e.dur!) / 1000)
    .sort((a, b) => b - a);
  return { total: ms.reduce((a, b) => a + b, 0), byTask: ms };
}

export function longTasks(trace: { traceEvents: TraceEvent[] } | TraceEvent[], overMs = 50): LongTaskReport[] {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const { pid, tid } = pageMainThread(events);
  const t0 = Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  const own = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur !== undefined);
  const tasks = own.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur! > overMs * 1000);
  // performance.measure() entries: async begin/end pairs in blink.user_timing.
  const begins = new Map<string, TraceEvent>();
  const measures: { name: string; start: number; end: number }[] = [];
  for (const e of events.filter((e) => e.pid === pid && e.cat === 'blink.user_timing' && (e.ph === 'b' || e.ph === 'e'))) {
    const key = `${e.name}:${e.id ?? (e as { id2?: { local: string } }).id2?.local}`;
    if (e.ph === 'b') begins.set(key, e);
    else if (begins.has(key)) measures.push({ name: e.name, start: begins.get(key)!.ts, end: e.ts });
  }
  const sampled = samples(events, pid, tid);
  return tasks.map((task) => {
    const end = task.ts + task.dur!;
    const inside = own.filter((e) => e.ts >= task.ts && e.ts < end && e !== task);
    const first = inside.filter((e) => ENTRIES.has(e.name)).sort((a, b) => a.ts - b.ts)[0];
    const fn = first?.args?.data?.functionName ? ` ${first.args.data.functionName} (${shortUrl(first.args.data.url ?? '')})` : '';
    const phasesMs: Record<string, number> = {};
    for (const e of inside.filter((e) => PHASES.includes(e.name))) phasesMs[e.name] = Math.round((phasesMs[e.name] ?? 0) + e.dur! / 1000);
    const self = new Map<string, number>();
    let last = task.ts;
    for (const [ts, n] of sampled.filter(([ts]) => ts >= task.ts && ts < end)) {
      self.set(frameName(n), (self.get(frameName(n)) ?? 0) + (ts - last) / 1000);
      last = ts;
    }
    return {
      startMs: Math.round((task.ts - t0) / 1000),
      durationMs: Math.round(task.dur! / 1000),
      cpuMs: Math.round((task.tdur ?? task.dur!) / 1000),
      entry: first ? `${first.name}${fn}` : '(no script)',
      phasesMs,
      marks: [...new Set(measures.filter((m) => m.start < end && m.end > task.ts).map((m) => m.name))],
      topSelfMs: [...self].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [k, Math.round(v)]),
    };
  });
}

/**
 * The main thread's CPU time in each task given in the page's clock (performance.now() ms, as a
 * PerformanceObserver reports long tasks), read from a trace with the 'toplevel' (or devtools
 * timeline) and 'blink.user_timing' categories. The page's clock and main thread are those of a
 * performance.measure named `measure` (its begin event carries the page's startTime). undefined
 * where no task of the trace covers half of the span.
 */
export function taskCpuMs(trace: { traceEvents: TraceEvent[] }, measure: string, tasks: readonly { startTime: number; duration: number }[]): (number | undefined)[] {
  if (tasks.length === 0) return [];
  const begin = trace.traceEvents.find((e) => e.name === measure && e.ph === 'b' && typeof e.args?.startTime === 'number');
  if (!begin) throw new Error(`no performance.measure('${measure}') in the trace`);
  const offsetUs = begin.ts - begin.args!.startTime * 1000;
  const own = trace.traceEvents.filter((e) => e.pid === begin.pid && e.tid === begin.tid && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'));
  // The Long Tasks API coarsens its times (to 1 ms or more), so the task is the trace's task that
  // covers most of the reported span, and it must cover at least half of it.
  const overlapUs = (e: TraceEvent, from: number, to: number) => Math.max(0, Math.min(e.ts + e.dur!, to) - Math.max(e.ts, from));
  return tasks.map((t) => {
    const from = offsetUs + t.startTime * 1000;
    const to = from + t.duration * 1000;
    const match = own.map((e) => ({ e, us: overlapUs(e, from, to) })).sort((a, b) => b.us - a.us)[0];
    return match && match.us >= (to - from) / 2 && match.e.tdur !== undefined ? match.e.tdur / 1000 : undefined;
  });
}
