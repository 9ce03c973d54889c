/**
 * Copies the page's URL (which always holds the config: non-default fields and the seed) to
 * the clipboard and says so. Where the clipboard is refused (permissions, an insecure page),
 * the link is shown selected so it can be copied by hand.
 */
import { useEffect, useRef, useState } from 'react';

type State = { kind: 'idle' } | { kind: 'copied' } | { kind: 'manual'; url: string };

const CONFIRM_MS = 2500;

export function CopyLink() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const manual = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state.kind === 'copied') {
      const timer = setTimeout(() => setState({ kind: 'idle' }), CONFIRM_MS);
      return () => clearTimeout(timer);
    }
    if (state.kind === 'manual') manual.current?.select();
  }, [state]);

  const copy = async () => {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      setState({ kind: 'copied' });
    } catch {
      setState({ kind: 'manual', url });
    }
  };

  return (
    <span className="copy-link">
      <button type="button" onClick={copy} title="Copy a link that reopens this exact experiment (every setting and the seed)">
        Copy link
      </button>
      <span role="status" aria-live="polite" className="copy-status">
        {state.kind === 'copied' && 'Link copied ✓'}
      </span>
      {state.kind === 'manual' && (
        <label className="copy-manual">
          The clipboard is not available here; copy the link:
          <input ref={manual} readOnly value={state.url} onBlur={() => setState({ kind: 'idle' })} />
        </label>
      )}
    </span>
  );
}
