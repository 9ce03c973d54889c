/**
 * The production build's Content-Security-Policy: sent as a header by `vite preview`
 * (`npm start`) and written into the built index.html as a meta tag, for static hosts that
 * cannot set headers (a meta policy cannot carry frame-ancestors; send the header where you can).
 *
 * No inline script and no eval anywhere. Why each source is allowed:
 * - `'wasm-unsafe-eval'`: compiling the tfjs and onnxruntime wasm binaries (no JS eval).
 * - `blob:` for scripts and workers: the threaded wasm backend starts its pthreads as workers
 *   from blobs it builds (build/selfContainedWasmFactory.ts), which import the factory from a blob.
 * - `blob:`/`data:` images: feature maps and the charts PNG are drawn through object URLs.
 * The dev server gets no policy: its HMR client and React Refresh preamble are inline scripts.
 */
import type { Plugin } from 'vite';

const DIRECTIVES: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval' blob:",
  'worker-src': "'self' blob:",
  'style-src': "'self'",
  'img-src': "'self' data: blob:",
  'connect-src': "'self' data: blob:",
  'font-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
};

const serialise = (d: Record<string, string>) =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');

/** The policy in the index.html meta tag. */
export const META_CONTENT_SECURITY_POLICY = serialise(DIRECTIVES);
/** The header: the meta policy plus what only a header can say (no framing by other sites). */
export const CONTENT_SECURITY_POLICY = serialise({ ...DIRECTIVES, 'frame-ancestors': "'none'" });

/** Writes the policy as the first tag of the built page's head, before any script. */
export function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'content-security-policy-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}
