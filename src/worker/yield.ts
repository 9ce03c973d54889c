/**
 * A macrotask yield without timer clamping: `setTimeout(0)` is clamped to ≥ 4 ms once nested,
 * which would cost fast GPU steps more than the step itself. A message to ourselves through a
 * MessageChannel runs after the messages already queued (pause, stop, live settings).
 */
export function messageChannelYield(): () => Promise<void> {
  const waiting: (() => void)[] = [];
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      port2.postMessage(null);
    });
}
