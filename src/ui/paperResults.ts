/**
 * The shipped results of the paper tables (public/results/<id>.json, written by `npm run
 * reproduce`), fetched when a table is first shown and checked against the results schema: a
 * file that is missing, too large or not a results file gives a state that says so, never a throw.
 */
import { useEffect, useState } from 'react';
import { type TableResult, parseTableResult } from '../core/compare/tableResult';
import type { TableId } from '../core/compare/tables';

/** A results file is a few tens of KiB; anything far larger is not ours. */
export const MAX_RESULTS_BYTES = 2 << 20;

export type ResultState =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'bad'; message: string }
  | { kind: 'ok'; result: TableResult };

export const resultsUrl = (id: TableId, base: string): string => `${base.endsWith('/') ? base : `${base}/`}results/${id}.json`;

export async function fetchTableResult(id: TableId, base: string, get: typeof fetch = fetch): Promise<ResultState> {
  let response: Response;
  try {
    response = await get(resultsUrl(id, base));
  } catch (e) {
    return { kind: 'bad', message: `could not be fetched (${e instanceof Error ? e.message : String(e)})` };
  }
  if (response.status === 404) return { kind: 'missing' };
  if (!response.ok) return { kind: 'bad', message: `the server answered ${response.status}` };
  const text = await response.text();
  if (text.length > MAX_RESULTS_BYTES) return { kind: 'bad', message: `${text.length} bytes, over the ${MAX_RESULTS_BYTES} a results file may have` };
  try {
    const result = parseTableResult(JSON.parse(text));
    if (result.table !== id) return { kind: 'bad', message: `it holds table ${result.table}, not ${id}` };
    return { kind: 'ok', result };
  } catch (e) {
    // Vite's dev server answers an absent file with the page itself.
    if (text.trimStart().startsWith('<')) return { kind: 'missing' };
    return { kind: 'bad', message: e instanceof Error ? e.message : String(e) };
  }
}

const cache = new Map<TableId, Promise<ResultState>>();

/** The shipped result of table `id` (fetched once per page). */
export function useTableResult(id: TableId): ResultState {
  const [state, setState] = useState<{ id: TableId; state: ResultState }>({ id, state: { kind: 'loading' } });
  useEffect(() => {
    let live = true;
    if (!cache.has(id)) cache.set(id, fetchTableResult(id, import.meta.env.BASE_URL));
    void cache.get(id)!.then((s) => live && setState({ id, state: s }));
    return () => {
      live = false;
    };
  }, [id]);
  return state.id === id ? state.state : { kind: 'loading' };
}
