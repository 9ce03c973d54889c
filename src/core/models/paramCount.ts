/**
 * Trainable parameter count of a spec, from the spec alone (no tfjs): what the model pickers
 * show as a model's size. Mirrors Net and families.ts block for block (BN: γ and β; running
 * statistics are not trainable); tests/paramCount.test.ts checks it against built nets.
 */
import type { ArchSpec } from './spec';

const conv = (k: number, cin: number, cout: number) => k * k * cin * cout; // no bias: a BN follows
const bn = (c: number) => 2 * c;

function block(family: ArchSpec['family'], cin: number, cout: number, stride: number): number {
  if (family === 'mobilenet') return conv(3, 1, cin) + bn(cin) + conv(1, cin, cout) + bn(cout);
  const shortcut = stride !== 1 || cin !== cout ? conv(1, cin, cout) + bn(cout) : 0;
  return conv(3, cin, cout) + bn(cout) + conv(3, cout, cout) + bn(cout) + shortcut;
}

export function paramCount(spec: ArchSpec, o: { inChannels?: number; classes?: number } = {}): number {
  const { inChannels = 1, classes = 10 } = o;
  let n = conv(3, inChannels, spec.widths[0]) + bn(spec.widths[0]);
  let cin = spec.widths[0];
  spec.widths.forEach((w, s) => {
    for (let b = 0; b < spec.blocks[s]; b++) {
      n += block(spec.family, cin, w, s > 0 && b === 0 ? 2 : 1);
      cin = w;
    }
  });
  return n + cin * classes + classes;
}
