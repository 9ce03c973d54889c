/**
 * Keyboard shortcuts of the run controls: Space trains, pauses or resumes, → takes one step,
 * Esc stops. They act exactly when the matching button is enabled, and never while focus is in
 * a form field (typing, a slider's arrow keys, a field's own Esc); on a focused button or link
 * Space keeps its native meaning (pressing that control).
 */
import type { RunSlice, RunStatus } from './store/types';

export type ShortcutAction = 'train' | 'pause' | 'resume' | 'step' | 'stop';

export const SHORTCUTS: readonly { key: string; label: string; does: string }[] = [
  { key: ' ', label: 'Space', does: 'Train; during a run, pause or resume' },
  { key: 'ArrowRight', label: '→', does: 'take one step (pauses a running run)' },
  { key: 'Escape', label: 'Esc', does: 'stop the run (during the final evaluation: skip it)' },
];

/** What the key focus is on, as far as shortcuts care. */
export type FocusKind = 'field' | 'control' | 'other';

export function focusKind(target: EventTarget | null): FocusKind {
  if (!(target instanceof HTMLElement)) return 'other';
  if (target.isContentEditable || target.closest('input, textarea, select, [contenteditable="true"]')) return 'field';
  if (target.closest('button, a[href], summary, [role="button"]')) return 'control';
  return 'other';
}

/** The action of a key press, or null (not a shortcut here and now). */
export function shortcutFor(
  e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; repeat: boolean },
  focus: FocusKind,
  run: { status: RunStatus; pending: RunSlice['pending'] },
): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey || focus === 'field') return null;
  const { status, pending } = run;
  switch (e.key) {
    case ' ':
      if (focus === 'control' || e.repeat) return null;
      if (status === 'idle' || status === 'done' || status === 'failed') return 'train';
      if (pending !== null) return null;
      return status === 'running' ? 'pause' : status === 'paused' ? 'resume' : null;
    case 'ArrowRight':
      return (status === 'running' || status === 'paused') && pending === null ? 'step' : null;
    case 'Escape':
      return (status === 'starting' || status === 'running' || status === 'paused' || status === 'evaluating') && pending !== 'stop' ? 'stop' : null;
    default:
      return null;
  }
}
