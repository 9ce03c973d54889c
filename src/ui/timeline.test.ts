/** Measures stay bounded: past MAX_MEASURES of one name the timeline drops them (others untouched). */
import { describe, expect, it } from 'vitest';
import { MAX_MEASURES, boundedMeasure } from './timeline';

describe('bounded performance measures', () => {
  it('never holds more than MAX_MEASURES of a name, counting afresh after a clear; other names untouched', () => {
    performance.clearMeasures();
    let most = 0;
    for (let i = 0; i < 2 * MAX_MEASURES + 10; i++) {
      boundedMeasure('test redraw', { start: 0, detail: i });
      most = Math.max(most, performance.getEntriesByName('test redraw').length);
    }
    expect(most).toBeLessThanOrEqual(MAX_MEASURES);
    expect(performance.getEntriesByName('test redraw')).toHaveLength(10);
    boundedMeasure('other', { start: 0 });
    expect(performance.getEntriesByName('other')).toHaveLength(1);
  });
});
