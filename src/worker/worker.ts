/**
 * The worker entry: wires a Session to postMessage. Everything else lives in session.ts
 * (the logic, testable without a worker) and environment.ts (backends, fetching).
 */
import { browserEnvironment } from './environment';
import { isCommand, type WorkerEvent } from './protocol';
import { Session } from './session';
import { messageChannelYield } from './yield';

const post = (event: WorkerEvent) => self.postMessage(event);
const session = new Session(browserEnvironment(), post, { yieldToEvents: messageChannelYield() });

self.onmessage = (e: MessageEvent<unknown>) => {
  if (isCommand(e.data)) session.handle(e.data);
  else post({ type: 'error', runId: null, kind: 'internal', message: `the worker got a message it does not know: ${String((e.data as { type?: unknown })?.type)}` });
};
