/**
 * The app store: built from a client and a URL port (real ones in main.tsx, fakes in tests).
 * Wiring done here, once: the config comes from the URL and is written back on every change;
 * worker events feed the run slice; a changed backend choice brings that backend up ahead of
 * the next run, so the badge always says what Train will use.
 */
import { createContext, useContext } from 'react';
import { createStore, type StoreApi, useStore } from 'zustand';
import { decodeConfig, encodeConfig } from '../../core/config';
import { experimentSlice } from './experimentSlice';
import { dataSlice } from './dataSlice';
import { hgkdSlice } from './hgkdSlice';
import { runSlice } from './runSlice';
import { runsSlice, watchRuns } from './runsSlice';
import { memoryStore, repositoryOver } from '../persist/runRepository';
import { type AppDeps, type AppState, isActive } from './types';
import { uiSlice } from './uiSlice';

export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: AppDeps): AppStore {
  const { config, issues } = decodeConfig(deps.url.read());
  const store = createStore<AppState>()((...a) => ({
    ...experimentSlice({ config, urlIssues: issues })(...a),
    ...runSlice(deps)(...a),
    ...uiSlice(...a),
    ...runsSlice(deps.runs ?? repositoryOver(memoryStore()))(...a),
    ...hgkdSlice(...a),
    ...dataSlice(deps)(...a),
  }));
  watchRuns(store);
  deps.client.subscribe((event) => store.getState().receive(event));
  deps.client.subscribe((event) => store.getState().receiveHgkd(event));
  deps.client.subscribe((event) => store.getState().receiveData(event));
  deps.client.data({ type: 'list-datasets' });
  deps.url.write(encodeConfig(config));
  deps.client.init(config.backend, config);
  deps.url.listen?.(() => {
    store.getState().openLink(deps.url.read());
    deps.url.write(encodeConfig(store.getState().config)); // also when the link was refused or changed nothing
  });
  store.subscribe((state, prev) => {
    if (state.config === prev.config) return;
    deps.url.write(encodeConfig(state.config));
    if (state.config.backend !== prev.config.backend && !isActive(state.status)) deps.client.init(state.config.backend, state.config);
  });
  return store;
}

export const StoreContext = createContext<AppStore | null>(null);

/** Selects from the app store of the nearest provider. */
export function useApp<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside <StoreContext.Provider>');
  return useStore(store, selector);
}

export { isActive } from './types';
export type { AppDeps, AppState, ExportedStudent, RunClient, RunStatus, UrlPort } from './types';
