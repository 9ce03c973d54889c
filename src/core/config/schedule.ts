/**
 * Change schedules of the live settings α and λ: `alphaAt=101:0.002,201:0.01` means "from step
 * 101 on, α = 0.002; from step 201 on, 0.01". A run's live changes are written this way into its
 * config, so its link replays them at the same steps (the trainer applies a change before the
 * step it names, exactly where a live change from the page lands).
 */

/** One change: the first step that uses `value`. */
export interface ScheduleEntry {
  step: number;
  value: number;
}
export type Schedule = readonly ScheduleEntry[];

export type ScheduledParam = 'alpha' | 'lambda';
/** The config key of each live setting's schedule. */
export const SCHEDULE_KEYS = { alpha: 'alphaAt', lambda: 'lambdaAt' } as const satisfies Record<ScheduledParam, string>;

/** A change as the worker records it (protocol's LiveChange has this shape). */
export interface ParamChange {
  step: number;
  param: ScheduledParam;
  value: number;
}

export const MAX_SCHEDULE_ENTRIES = 64;
export const MAX_SCHEDULE_STEP = 100000; // = the steps field's max
const ENTRY = /^(\d{1,6}):([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)$/i;

/**
 * `<step>:<value>,…` → entries sorted by step. Steps are whole numbers 2…100000 (step 1 runs
 * with the field's own value), each at most once; `checkValue` is the setting's own row check
 * (its reason, or null). '' is the empty schedule.
 */
export function parseSchedule(text: string, checkValue: (v: number) => string | null): ScheduleEntry[] {
  if (text === '') return [];
  const pieces = text.split(',');
  if (pieces.length > MAX_SCHEDULE_ENTRIES) throw new Error(`at most ${MAX_SCHEDULE_ENTRIES} changes`);
  const out: ScheduleEntry[] = [];
  for (const piece of pieces) {
    const m = ENTRY.exec(piece);
    if (!m) throw new Error(`"${piece.slice(0, 32)}" is not a change like 101:0.002 (step:value)`);
    const step = Number(m[1]);
    const value = Number(m[2]) + 0;
    if (step < 2 || step > MAX_SCHEDULE_STEP) throw new Error(`step ${step} must be 2…${MAX_SCHEDULE_STEP} (step 1 uses the setting itself)`);
    const reason = checkValue(value);
    if (reason !== null) throw new Error(`value at step ${step} ${reason}`);
    out.push({ step, value });
  }
  out.sort((a, b) => a.step - b.step);
  for (let i = 1; i < out.length; i++) if (out[i].step === out[i - 1].step) throw new Error(`step ${out[i].step} is given twice`);
  return out;
}

export function formatSchedule(s: Schedule): string {
  return s.map((e) => `${e.step}:${String(e.value)}`).join(',');
}

/** The value a schedule sets at exactly `step`, if any. */
export function scheduledAt(s: Schedule, step: number): number | undefined {
  return s.find((e) => e.step === step)?.value;
}

/** The live values a config's schedules set before step `step` (1-based): what the trainer applies then. */
export function scheduledLive(config: { alphaAt: Schedule; lambdaAt: Schedule }, step: number): { alpha?: number; lambda?: number } {
  const out: { alpha?: number; lambda?: number } = {};
  const alpha = scheduledAt(config.alphaAt, step);
  const lambda = scheduledAt(config.lambdaAt, step);
  if (alpha !== undefined) out.alpha = alpha;
  if (lambda !== undefined) out.lambda = lambda;
  return out;
}

/** Every change a config's schedules describe, as the worker would record them, in step order. */
export function scheduleChanges(config: { alphaAt: Schedule; lambdaAt: Schedule }): ParamChange[] {
  const out: ParamChange[] = [];
  for (const param of ['alpha', 'lambda'] as const) for (const e of config[SCHEDULE_KEYS[param]]) out.push({ step: e.step, param, value: e.value });
  return out.sort((a, b) => a.step - b.step);
}

/**
 * The config a run trained with: its starting config with the changes it went through (as
 * recorded: the first step that used each value) written into its schedules. Changes recorded at
 * step 1 (made before the first step) become the starting value; entries of the starting
 * schedule the run never reached stay, so the link describes the whole run it was set up as.
 * A schedule keeps at most MAX_SCHEDULE_ENTRIES changes (the first ones), so it stays a valid link.
 */
export function withChanges<C extends { alpha: number; lambda: number; alphaAt: Schedule; lambdaAt: Schedule }>(config: C, changes: readonly ParamChange[], stepsTaken: number): C {
  const out = { ...config };
  for (const param of ['alpha', 'lambda'] as const) {
    const key = SCHEDULE_KEYS[param];
    const made = changes.filter((c) => c.param === param);
    if (made.length === 0) continue;
    const byStep = new Map<number, number>();
    for (const e of config[key]) if (e.step > stepsTaken) byStep.set(e.step, e.value);
    for (const c of made) {
      if (c.step <= 1) out[param] = c.value;
      else byStep.set(c.step, c.value);
    }
    const entries = [...byStep].map(([step, value]) => ({ step, value })).sort((a, b) => a.step - b.step);
    out[key] = entries.slice(0, MAX_SCHEDULE_ENTRIES);
  }
  return out;
}
