/** A link opened without a reload (hash link, back/forward) replaces the form's config, never a running one. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config';
import { createAppStore } from './index';
import type { RunClient } from './types';

function withUrlEvents(initial: string) {
  let href = initial;
  let changed: (() => void) | null = null;
  const urls: string[] = [];
  const client: RunClient = { init() {}, start: () => 1, pause() {}, resume() {}, step() {}, stop() {}, set() {}, snapshot() {}, exportStudent: () => Promise.reject(new Error('none')), initialState: () => Promise.reject(new Error('none')), storedTeacher: () => Promise.reject(new Error('none')), data() {}, subscribe: () => () => {} };
  const store = createAppStore({
    client,
    url: {
      read: () => href,
      write: (q) => {
        urls.push(q);
        href = q ? `?${q}` : '';
      },
      listen: (c) => ((changed = c), () => (changed = null)),
    },
  });
  const navigate = (to: string) => {
    href = to;
    changed!();
  };
  return { store, urls, navigate };
}

describe('openLink', () => {
  it('applies a hash link: config, issues naming fields, the notice shown again, the URL rewritten', () => {
    const { store, urls, navigate } = withUrlEvents('?v=2&steps=50');
    store.getState().dismissIssues();
    navigate('?v=2&steps=50#method=kd&batch=0&<b>=1');
    const s = store.getState();
    expect(s.config).toMatchObject({ steps: 50, method: 'kd', batch: DEFAULT_CONFIG.batch });
    expect(s.urlIssues.map((i) => i.field)).toEqual(['batch', '<b>']);
    expect(s.issuesDismissed).toBe(false);
    expect(urls.at(-1)).toBe('v=2&method=kd&steps=50&seed=1');
  });

  it('leaves a running run and a batch alone and puts the running config back in the URL', () => {
    const { store, urls, navigate } = withUrlEvents('?v=2&steps=50');
    store.getState().train();
    navigate('?v=2&steps=50#method=kd');
    expect(store.getState().config.method).toBe(DEFAULT_CONFIG.method);
    expect(urls.at(-1)).toBe('v=2&steps=50&seed=1');
  });
});
