/** Page entry: one worker client, one store, the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TrainingClient } from '../worker/client';
import { App } from './App';
import { indexedDbRepository } from './persist/runRepository';
import { createAppStore, StoreContext } from './store';
import { browserUrl } from './url';
import './styles.css';

const client = new TrainingClient();
const store = createAppStore({ client, url: browserUrl, runs: indexedDbRepository() });

// Dev and test builds (vite.config.ts, E2E_INPUTS) expose the store and client to tests and the
// console (e.g. to inject a fault); production builds do not.
if (import.meta.env.MODE !== 'production') Object.assign(window, { __distill: { store, client } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
