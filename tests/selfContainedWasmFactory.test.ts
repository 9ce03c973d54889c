/**
 * The production build's wasm pthreads: each re-evaluates tfjs's threaded factory from its
 * source text alone. Minified as Vite minifies the worker bundle, the published factory reads a
 * renamed variable of the scope around it (the CI failure: "e is not defined", the backend never
 * up); with the build plugin's change it runs on its own in a fresh pthread-like context.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { minifySync } from 'vite';
import { describe, expect, it } from 'vitest';
import { THREADED_FACTORY, selfContainFactory } from '../build/selfContainedWasmFactory';

const factoryPath = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
const published = readFileSync(factoryPath, 'utf8');

/** Minifies the module inside a function scope (as in the bundle), then runs the factory's own text as a pthread would. */
function runFactoryTextAlone(moduleCode: string): void {
  const bundled = `globalThis.factory = (function () {\n${moduleCode}\nreturn WasmBackendModuleThreadedSimd; })();`;
  const minified = minifySync('worker.js', bundled, { compress: true, mangle: true }).code;
  const main = vm.createContext({});
  vm.runInContext(minified, main);
  const factoryText = vm.runInContext('factory.toString()', main) as string;
  const pthread = vm.createContext({
    importScripts() {},
    self: { location: { href: 'blob:pthread' } },
    Worker: class { postMessage() {} },
    console,
  });
  vm.runInContext(`var WasmBackendModuleThreadedSimd = ${factoryText};\nWasmBackendModuleThreadedSimd({ instantiateWasm: () => ({}), locateFile: (p) => p });`, pthread);
}

describe('self-contained threaded wasm factory', () => {
  it('the plugin targets the installed file', () => {
    expect(THREADED_FACTORY.test(factoryPath)).toBe(true);
  });

  it('as published, the minified factory fails alone on a renamed outer variable', () => {
    expect(() => runFactoryTextAlone(published)).toThrow(/is not defined/);
  });

  it('with _scriptDir declared inside, the minified factory runs alone', () => {
    expect(() => runFactoryTextAlone(selfContainFactory(published))).not.toThrow();
  });

  it('a factory it does not recognise stops the build with what to check', () => {
    expect(() => selfContainFactory('var WasmBackendModuleThreadedSimd = function () {};')).toThrow(/no longer starts with/);
  });
});
