/** The page URL as the store's UrlPort: the config lives in the query string. */
import type { UrlPort } from './store';

const current = () => window.location.search + window.location.hash;
let written: string | null = null; // what write() left in the address bar

export const browserUrl: UrlPort = {
  // Hash parameters are read too (decodeConfig merges them) but written back as a query.
  read: current,
  write(query) {
    const url = `${window.location.pathname}${query ? `?${query}` : ''}`;
    if (url !== window.location.pathname + window.location.search || window.location.hash) window.history.replaceState(window.history.state, '', url);
    written = current();
  },
  listen(changed) {
    // A fragment navigation fires popstate, then hashchange: the second finds the URL already
    // rewritten by the first, so it is not a new link.
    const onChange = () => {
      if (current() !== written) changed();
    };
    window.addEventListener('hashchange', onChange);
    window.addEventListener('popstate', onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
      window.removeEventListener('popstate', onChange);
    };
  },
};
