/**
 * The worker entry: wires a Session to postMessage. Everything else lives in session.ts
 * (the logic, testable without a worker) and environment.ts (backends, fetching).
 */
import { DataService } from './dataService';
import { indexedDbDatasetStore } from './datasetStore';
import { browserEnvironment } from './environment';
import { isCommand, isFaultCommand, type WorkerEvent } from './protocol';
import { Session } from './session';
import { messageChannelYield } from './yield';

const post = (event: WorkerEvent, transfer: Transferable[] = []) => self.postMessage(event, { transfer });
const yieldToEvents = messageChannelYield();
const data = new DataService(indexedDbDatasetStore(), post, { yieldToEvents });
const env = browserEnvironment(data);
const session = new Session(env, post, { yieldToEvents }, data, env);
// The soak test's view of tfjs memory (./testHooks); production bundles have no such module.
if (import.meta.env.MODE !== 'production') void import('./testHooks').then((h) => h.installTestHook(self));

self.onmessage = (e: MessageEvent<unknown>) => {
  const data = e.data;
  // Fault injection exists in dev and test builds only: production bundles have no faults module.
  if (import.meta.env.MODE !== 'production' && isFaultCommand(data)) void import('./faults').then((f) => f.injectFault(data.fault));
  else if (isCommand(e.data)) session.handle(e.data);
  else post({ type: 'error', runId: null, kind: 'internal', message: `the worker got a message it does not know: ${String((e.data as { type?: unknown })?.type)}` });
};
