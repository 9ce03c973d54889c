/** Listens for the run shortcuts (src/ui/shortcuts.ts) on the window; renders nothing. */
import { useContext, useEffect } from 'react';
import { StoreContext } from '../store';
import { focusKind, shortcutFor } from '../shortcuts';

export function Shortcuts() {
  const store = useContext(StoreContext);
  useEffect(() => {
    if (!store) return;
    const onKey = (e: KeyboardEvent) => {
      const s = store.getState();
      const action = shortcutFor(e, focusKind(e.target), s);
      if (!action) return;
      e.preventDefault(); // Space would scroll the page
      const run = { train: s.train, pause: s.pause, resume: s.resume, step: s.stepOnce, stop: s.stop }[action];
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
  return null;
}
