import { describe, expect, it } from 'vitest';

// Under a strict CSP (no 'unsafe-eval') any `new Function` is a reported violation; schema
// parsing (config, stored records) must never construct one.
describe('zod runs without eval (CSP)', () => {
  it('parses configs and stored records without calling the Function constructor', async () => {
    const real = globalThis.Function;
    let calls = 0;
    globalThis.Function = new Proxy(real, {
      construct(target, args) {
        calls += 1;
        return Reflect.construct(target, args);
      },
      apply(target, self, args) {
        calls += 1;
        return Reflect.apply(target, self, args);
      },
    });
    try {
      const config = await import('../src/core/config');
      const records = await import('../src/ui/persist/runRecord');
      expect(config.validateConfig({}).issues).toEqual([]);
      // An object-shaped record: zod's object parser is the one that compiles with eval.
      const read = records.fromRecord({ v: records.RECORD_VERSION, run: { id: 'x' } });
      expect(read.ok).toBe(false);
    } finally {
      globalThis.Function = real;
    }
    expect(calls).toBe(0);
  });
});
