/** The page URL as the store's UrlPort: the config lives in the query string. */
import type { UrlPort } from './store';

export const browserUrl: UrlPort = {
  // Hash parameters are read too (decodeConfig merges them) but written back as a query.
  read: () => window.location.search + window.location.hash,
  write(query) {
    const url = `${window.location.pathname}${query ? `?${query}` : ''}`;
    if (url !== window.location.pathname + window.location.search || window.location.hash) window.history.replaceState(window.history.state, '', url);
  },
};
