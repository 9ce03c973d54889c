/** The page takes only teachers it has: a spec teacher from a link or the form is refused, naming why. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config';
import { fakes } from './testing';

describe('teachers in the page', () => {
  it('a link with a teacher spec opens with the default teacher and says why; a shipped teacher\'s spec is that teacher', () => {
    const { store, urls } = fakes('?v=2&teacher=resnet:8-16-32x1&seed=2');
    expect(store.getState().config.teacher).toBe(DEFAULT_CONFIG.teacher);
    expect(store.getState().urlIssues).toEqual([expect.objectContaining({ field: 'teacher', level: 'error', message: expect.stringMatching(/shipped teacher \(resnet-t, resnet-s\).*headless runner/) })]);
    expect(urls).toEqual(['v=2&seed=2']);
    const same = fakes('?v=2&teacher=resnet:16-32-64x1').store.getState();
    expect(same.config.teacher).toBe('resnet-s');
    expect(same.urlIssues).toEqual([]);
  });

  it('the form refuses a teacher spec and keeps the teacher it had', () => {
    const { store } = fakes('?v=2&teacher=resnet-s');
    store.getState().setField('teacher', 'resnet:8-16-32x1');
    expect(store.getState().config.teacher).toBe('resnet-s');
    expect(store.getState().fieldErrors.teacher).toMatch(/shipped teacher/);
    store.getState().setField('teacher', 'resnet:16-32-64x2');
    expect(store.getState().config.teacher).toBe('resnet-t');
    expect(store.getState().fieldErrors.teacher).toBeUndefined();
  });
});
