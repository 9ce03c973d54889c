/** Fetching a shipped results file: found, absent, not ours, hostile, or too large — each a state, never a throw. */
import { describe, expect, it } from 'vitest';
import { paperTable } from '../core/compare/tables';
import { summariseRows } from '../core/compare/tableResult';
import { MAX_RESULTS_BYTES, fetchTableResult, resultsUrl } from './paperResults';

const t5 = paperTable('mgd-t5');
const good = {
  version: 1, table: 'mgd-t5', title: 't', source: 's', steps: 300, seeds: [1], backend: 'wasm', date: '2026-12-07T00:00:00Z', commit: 'abc', command: 'npm run reproduce',
  seconds: 5, stepsPerSec: 2, rows: summariseRows(t5, () => [{ seed: 1, testAcc: 0.8, stepsPerSec: 2, link: 'v=2' }]),
};
const answer = (body: string, status = 200): typeof fetch => async () => new Response(body, { status });

describe('fetchTableResult', () => {
  it('reads a results file under the base path', async () => {
    expect(resultsUrl('mgd-t5', '/app')).toBe('/app/results/mgd-t5.json');
    const urls: string[] = [];
    const s = await fetchTableResult('mgd-t5', '/', async (url) => (urls.push(String(url)), new Response(JSON.stringify(good))));
    expect(urls).toEqual(['/results/mgd-t5.json']);
    expect(s).toMatchObject({ kind: 'ok', result: { table: 'mgd-t5', steps: 300 } });
  });

  it('absent (404, or the dev server’s page) is missing; other failures are bad with the reason', async () => {
    expect(await fetchTableResult('mgd-t5', '/', answer('', 404))).toEqual({ kind: 'missing' });
    expect(await fetchTableResult('mgd-t5', '/', answer('<!doctype html><html></html>'))).toEqual({ kind: 'missing' });
    expect(await fetchTableResult('mgd-t5', '/', answer('', 500))).toEqual({ kind: 'bad', message: 'the server answered 500' });
    expect(await fetchTableResult('mgd-t5', '/', async () => Promise.reject(new TypeError('offline')))).toEqual({ kind: 'bad', message: 'could not be fetched (offline)' });
    expect(await fetchTableResult('mgd-t1', '/', answer(JSON.stringify(good)))).toEqual({ kind: 'bad', message: 'it holds table mgd-t5, not mgd-t1' });
  });

  it('a hostile file is refused by field, and a huge one by size', async () => {
    const nan = JSON.stringify(good).replace('"testAcc":0.8', '"testAcc":"NaN"');
    expect(await fetchTableResult('mgd-t5', '/', answer(nan))).toMatchObject({ kind: 'bad', message: expect.stringMatching(/rows\.0\.runs\.0\.testAcc/) });
    const polluted = JSON.stringify({ ...good, rows: [{ ...good.rows[0], label: 'x'.repeat(500) }] });
    expect(await fetchTableResult('mgd-t5', '/', answer(polluted))).toMatchObject({ kind: 'bad', message: expect.stringMatching(/rows\.0\.label/) });
    expect(await fetchTableResult('mgd-t5', '/', answer(' '.repeat(MAX_RESULTS_BYTES + 1)))).toMatchObject({ kind: 'bad', message: expect.stringMatching(/over the/) });
    expect(await fetchTableResult('mgd-t5', '/', answer('{'))).toMatchObject({ kind: 'bad' });
  });
});
