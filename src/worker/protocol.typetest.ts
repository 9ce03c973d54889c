/**
 * Compile-time tests of the protocol (checked by `npm run typecheck`, never run): the unions
 * reject malformed messages, and a switch over them is exhaustive.
 */
import type { Command, WorkerEvent } from './protocol';
import { unreachable } from './protocol';

// @ts-expect-error a start needs a config
export const noConfig: Command = { type: 'start', runId: 1 };
// @ts-expect-error live settings are α and λ only
export const badParam: Command = { type: 'set', param: 'lr', value: 1 };
// @ts-expect-error unknown command
export const unknown: Command = { type: 'reset' };
// @ts-expect-error an error names its kind from the list
export const badKind: WorkerEvent = { type: 'error', runId: 1, kind: 'oops', message: '' };
// @ts-expect-error a snapshot names its test image
export const noIndex: Command = { type: 'snapshot' };
// @ts-expect-error progress carries its run state
export const noState: WorkerEvent = { type: 'progress', runId: 1, points: [], step: 0, steps: 1, stepsPerSec: 0 };

/** Adding an event type without handling it here fails to compile (at `unreachable`). */
export function describeEvent(e: WorkerEvent): string {
  switch (e.type) {
    case 'ready':
      return e.backend;
    case 'starting':
      return e.phase;
    case 'progress':
      return `${e.step}/${e.steps}`;
    case 'prepared':
      return String(e.alphaHint);
    case 'features':
      return e.snapshot.maps.map((m) => m.kind).join();
    case 'hgkd-snapshot':
      return `${e.snapshot.scales.length} scales`;
    case 'done':
      return e.summary.reason;
    case 'exported':
      return e.model ? e.model.modelJson.arch : (e.message ?? '');
    case 'initial-state':
      return e.state ? `${e.state.student.length} student tensors` : (e.message ?? '');
    case 'stored-teacher':
      return e.teacher ? e.teacher.info.key : (e.message ?? '');
    case 'error':
      return e.kind;
    case 'import-progress':
      return `${e.stage} ${e.done}/${e.total}`;
    case 'imported':
      return e.report ? e.report.ref : (e.message ?? '');
    case 'datasets':
      return e.datasets.map((d) => d.ref).join();
    case 'teacher-progress':
      return `${e.step}/${e.steps}`;
    case 'teacher-done':
      return e.info ? e.info.key : e.reason;
    default:
      return unreachable(e);
  }
}
