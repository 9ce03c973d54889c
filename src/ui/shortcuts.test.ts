/** The run shortcuts act exactly when their button would, and never while focus is in a field. */
import { describe, expect, it } from 'vitest';
import { shortcutFor } from './shortcuts';

const key = (k: string, o: Partial<{ ctrlKey: boolean; repeat: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, repeat: false, ...o });
const idle = { status: 'idle' as const, pending: null };

describe('shortcutFor', () => {
  it('Space trains, pauses and resumes; → steps; Esc stops', () => {
    expect(shortcutFor(key(' '), 'other', idle)).toBe('train');
    expect(shortcutFor(key(' '), 'other', { status: 'done', pending: null })).toBe('train');
    expect(shortcutFor(key(' '), 'other', { status: 'running', pending: null })).toBe('pause');
    expect(shortcutFor(key(' '), 'other', { status: 'paused', pending: null })).toBe('resume');
    expect(shortcutFor(key('ArrowRight'), 'other', { status: 'running', pending: null })).toBe('step');
    expect(shortcutFor(key('ArrowRight'), 'other', { status: 'paused', pending: null })).toBe('step');
    expect(shortcutFor(key('Escape'), 'other', { status: 'evaluating', pending: null })).toBe('stop');
  });

  it('does nothing where the button is disabled', () => {
    expect(shortcutFor(key(' '), 'other', { status: 'starting', pending: null })).toBeNull();
    expect(shortcutFor(key(' '), 'other', { status: 'running', pending: 'pause' })).toBeNull();
    expect(shortcutFor(key('ArrowRight'), 'other', idle)).toBeNull();
    expect(shortcutFor(key('Escape'), 'other', idle)).toBeNull();
    expect(shortcutFor(key('Escape'), 'other', { status: 'running', pending: 'stop' })).toBeNull();
  });

  it('not while typing, not with modifiers, not a held Space; Space on a button keeps its own meaning', () => {
    for (const k of [' ', 'ArrowRight', 'Escape']) expect(shortcutFor(key(k), 'field', { status: 'running', pending: null })).toBeNull();
    expect(shortcutFor(key(' ', { ctrlKey: true }), 'other', idle)).toBeNull();
    expect(shortcutFor(key(' ', { repeat: true }), 'other', idle)).toBeNull();
    expect(shortcutFor(key(' '), 'control', idle)).toBeNull();
    expect(shortcutFor(key('Escape'), 'control', { status: 'running', pending: null })).toBe('stop');
  });
});
