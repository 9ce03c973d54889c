/** Stored batches: a current one reads back as written; one of version 1 reads with the legacy recipe. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, LEGACY_RECIPE } from '../../core/config';
import { BATCH_RECORD_VERSION, type BatchState, fromBatchRecord, toBatchRecord } from './batchRecord';
import { withoutRecipe } from './testRuns';

const batch: BatchState = { id: 'b1', kind: 'lambda', base: { ...DEFAULT_CONFIG }, configs: [{ ...DEFAULT_CONFIG, lambda: 0.25 }, { ...DEFAULT_CONFIG, lambda: 0.75 }], done: 1 };

describe('batch records', () => {
  it('a current record reads back as written', () => {
    expect(fromBatchRecord(toBatchRecord(batch))).toEqual({ ok: true, batch });
  });

  it('version 1 (before the recipe rows) resumes with the recipe its first runs trained with', () => {
    const v1 = { version: 1, batch: { ...batch, base: withoutRecipe(batch.base), configs: batch.configs.map(withoutRecipe) } };
    const read = fromBatchRecord(v1);
    expect(read).toEqual({ ok: true, batch: { ...batch, base: { ...batch.base, ...LEGACY_RECIPE }, configs: batch.configs.map((c) => ({ ...c, ...LEGACY_RECIPE })) } });
    expect(fromBatchRecord({ version: BATCH_RECORD_VERSION + 1, batch })).toEqual({ ok: false, reason: 'newer' });
  });
});
