/**
 * A Vite build plugin that keeps tfjs-backend-wasm's threaded factory self-contained.
 *
 * tfjs starts each wasm pthread from a blob holding `WasmBackendModuleThreadedSimd.toString()`,
 * so the factory function must not read anything from the scope around it. As published it
 * reads `_scriptDir`, declared in the closure that wraps it, behind a `typeof` guard; the
 * minifier renames that variable and, knowing it is declared, drops the guard, and every
 * pthread dies on "e is not defined" before the backend is up (the production build only: the
 * dev server does not minify). Declaring `_scriptDir` inside the factory, from the same
 * expression, makes the function whole again; in a worker both read `undefined`.
 */
import type { Plugin } from 'vite';

/** The file whose factory the pthreads re-evaluate. */
export const THREADED_FACTORY = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;

/** The factory's first statement; the declaration goes right after it. */
const FACTORY_START = 'WasmBackendModuleThreadedSimd = WasmBackendModuleThreadedSimd || {};';
const OWN_SCRIPT_DIR =
  "\nvar _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;";

/** The module's text with `_scriptDir` declared inside the factory; throws when tfjs changed it. */
export function selfContainFactory(code: string): string {
  const at = code.indexOf(FACTORY_START);
  if (at < 0 || code.indexOf(FACTORY_START, at + 1) >= 0) {
    throw new Error(
      `tfjs-backend-wasm's threaded factory no longer starts with "${FACTORY_START}" exactly once: check that its pthreads still start in the production build and update build/selfContainedWasmFactory.ts`,
    );
  }
  const end = at + FACTORY_START.length;
  return code.slice(0, end) + OWN_SCRIPT_DIR + code.slice(end);
}

export function selfContainedWasmFactory(): Plugin {
  return {
    name: 'self-contained-wasm-factory',
    apply: 'build', // the dev server serves the module unminified, where the guard holds
    transform(code, id) {
      return THREADED_FACTORY.test(id) ? { code: selfContainFactory(code), map: null } : null;
    },
  };
}
