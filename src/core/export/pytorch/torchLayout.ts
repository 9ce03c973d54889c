/**
 * The engine's parameters (names of src/core/models and src/core/distill, tfjs layouts) as
 * PyTorch state-dict entries of the exported models.py / losses.py:
 *   conv filter [kh, kw, cin, cout] → weight [cout, cin, kh, kw]; depthwise [kh, kw, c, 1] → [c, 1, kh, kw];
 *   dense [in, out] → Linear weight [out, in]; BN gamma/beta/mean/var → weight/bias/running_mean/running_var.
 *   stem.conv.w → stem.conv.weight · s2.b1.conv1.w → stages.1.0.conv1.weight · head.w → head.weight
 *   align0.w → aligns.0.weight · gen0.conv2.b → gens.0.1.bias · ofd.0.conv.w → ofds.0.conv.weight · ofd.0.bn.gamma → ofds.0.bn.weight · srrl.conv.w → srrl.conv.weight
 */
import type { NamedArray } from './safetensors';

const BN_FIELDS: Record<string, string> = { gamma: 'weight', beta: 'bias', mean: 'running_mean', var: 'running_var' };
const BN_LAYERS = /^(bn|bn1|bn2|downbn|dwbn|pwbn)$/;

/** Engine name → PyTorch name; throws on a name the exporter does not know (a new layer kind). */
export function torchName(name: string): string {
  const parts = name.split('.');
  const last = parts.pop()!;
  const layer = parts[parts.length - 1];
  let field: string;
  if (BN_LAYERS.test(layer)) field = BN_FIELDS[last];
  else field = last === 'w' ? 'weight' : last === 'b' ? 'bias' : '';
  if (!field) throw new Error(`no PyTorch name for engine parameter ${name}`);
  let m: RegExpExecArray | null;
  const path = parts.join('.');
  if ((m = /^s(\d+)\.b(\d+)\.(\w+)$/.exec(path))) return `stages.${Number(m[1]) - 1}.${Number(m[2]) - 1}.${m[3]}.${field}`;
  if ((m = /^align(\d+)$/.exec(path))) return `aligns.${m[1]}.${field}`;
  if ((m = /^gen(\d+)\.conv(\d+)$/.exec(path))) return `gens.${m[1]}.${Number(m[2]) - 1}.${field}`;
  if ((m = /^ofd\.(\d+)\.(conv|bn)$/.exec(path))) return `ofds.${m[1]}.${m[2]}.${field}`;
  if ((m = /^srrl\.(conv|bn)$/.exec(path))) return `srrl.${m[1]}.${field}`;
  if (/^(stem\.conv|stem\.bn|head)$/.test(path)) return `${path}.${field}`;
  throw new Error(`no PyTorch name for engine parameter ${name}`);
}

/** Permutes row-major `data` of `shape` by `perm` (out axis i = in axis perm[i]). */
export function permute(data: Float32Array, shape: number[], perm: number[]): { data: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const idx = new Array<number>(shape.length).fill(0); // index into the OUTPUT
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < perm.length; i++) src += idx[i] * inStrides[perm[i]];
    out[o] = data[src];
    for (let i = perm.length - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** One engine tensor as its PyTorch state-dict entry. */
export function toTorch(name: string, shape: number[], data: Float32Array): NamedArray {
  const tname = torchName(name);
  if (shape.length === 4) {
    const depthwise = name.endsWith('.dw.w');
    return { name: tname, ...permute(data, shape, depthwise ? [2, 3, 0, 1] : [3, 2, 0, 1]) };
  }
  if (shape.length === 2) return { name: tname, ...permute(data, shape, [1, 0]) };
  return { name: tname, shape: [...shape], data };
}
