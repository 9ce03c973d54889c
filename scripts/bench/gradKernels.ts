/**
 * Times the conv-gradient kernels on shapes of the small CNN students (batch 64, MNIST-size):
 * the stock tfjs cpu kernel vs ours on cpu vs ours on wasm (and the stock wasm
 * Conv2DBackpropInput where wasm has one). Kernels are called directly (no engine), after a
 * warm-up; medians are reported.
 *
 *   npx tsx scripts/bench/gradKernels.ts
 */
import * as tf from '@tensorflow/tfjs';
import { gradKernelConfig, type GradKernelName } from '../../src/core/kernels/gradients/convGradKernels';
import { stockKernel } from '../../src/core/kernels/gradients/registerTrainingKernels';
import { initNodeBackend } from '../../src/node/backend';

export interface GradKernelTiming {
  kernel: string;
  shape: string;
  stockCpuMs: number;
  oursCpuMs: number;
  oursWasmMs: number;
  stockWasmMs?: number; // only where wasm has a stock kernel (Conv2DBackpropInput)
}

interface BenchCase {
  depthwise: boolean;
  x: [number, number, number, number]; // [N, H, W, Ci]
  filter: [number, number, number, number]; // [KH, KW, Ci, Co] (depthwise: [KH, KW, C, 1])
  stride: number;
}

const N = 64;
const CASES: BenchCase[] = [
  { depthwise: false, x: [N, 28, 28, 1], filter: [3, 3, 1, 8], stride: 1 },
  { depthwise: false, x: [N, 28, 28, 8], filter: [3, 3, 8, 8], stride: 1 },
  { depthwise: false, x: [N, 28, 28, 8], filter: [3, 3, 8, 16], stride: 2 },
  { depthwise: false, x: [N, 28, 28, 8], filter: [1, 1, 8, 16], stride: 2 },
  { depthwise: false, x: [N, 14, 14, 16], filter: [3, 3, 16, 16], stride: 1 },
  { depthwise: false, x: [N, 14, 14, 16], filter: [3, 3, 16, 32], stride: 2 },
  { depthwise: false, x: [N, 7, 7, 32], filter: [3, 3, 32, 32], stride: 1 },
  { depthwise: true, x: [N, 28, 28, 16], filter: [3, 3, 16, 1], stride: 1 },
  { depthwise: true, x: [N, 28, 28, 16], filter: [3, 3, 16, 1], stride: 2 },
  { depthwise: true, x: [N, 14, 14, 32], filter: [3, 3, 32, 1], stride: 1 },
];

type KernelFn = (inputs: Record<string, tf.TensorInfo>) => tf.TensorInfo;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of `fn` after `warmup` untimed calls; stops early past `budgetMs`. */
function time(fn: () => void, warmup: number, reps: number, budgetMs: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
    if (performance.now() - start > budgetMs) break;
  }
  return median(times);
}

function kernelRunner(config: tf.KernelConfig, backendName: string, attrs: tf.NamedAttrMap): KernelFn {
  const backend = tf.findBackend(backendName) as tf.KernelBackend;
  return (inputs) => config.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

/** Times one kernel on `backendName` with fresh random inputs made on that backend. */
async function timeKernel(
  backendName: 'cpu' | 'wasm',
  config: tf.KernelConfig,
  attrs: tf.NamedAttrMap,
  inputShapes: Record<string, number[]>,
  slow: boolean,
): Promise<number> {
  await tf.setBackend(backendName);
  const inputs: Record<string, tf.Tensor> = {};
  for (const [name, shape] of Object.entries(inputShapes)) inputs[name] = tf.randomNormal(shape);
  const run = kernelRunner(config, backendName, attrs);
  const backend = tf.findBackend(backendName) as tf.KernelBackend;
  const ms = time(() => backend.disposeData(run(inputs).dataId), slow ? 1 : 3, slow ? 3 : 15, slow ? 8000 : 3000);
  Object.values(inputs).forEach((t) => t.dispose());
  return ms;
}

function describe(c: BenchCase): string {
  const [n, h, w, ci] = c.x;
  const [kh, kw, , co] = c.filter;
  const oh = Math.ceil(h / c.stride);
  const ow = Math.ceil(w / c.stride);
  const out = c.depthwise ? ci : co;
  return `${n}×${h}×${w}×${ci}→${oh}×${ow}×${out} ${kh}×${kw}/${c.stride}${c.depthwise ? ' dw' : ''}`;
}

export async function benchGradKernels(): Promise<GradKernelTiming[]> {
  await initNodeBackend('cpu');
  await initNodeBackend('wasm');
  const rows: GradKernelTiming[] = [];
  for (const c of CASES) {
    const [n, h, w] = c.x;
    const dyShape = [n, Math.ceil(h / c.stride), Math.ceil(w / c.stride), c.depthwise ? c.x[3] : c.filter[3]];
    const base = { strides: c.stride, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
    const prefix = c.depthwise ? 'DepthwiseConv2dNative' : 'Conv2D';
    const variants: { kernel: GradKernelName; attrs: tf.NamedAttrMap; inputs: Record<string, number[]> }[] = [
      { kernel: `${prefix}BackpropFilter` as GradKernelName, attrs: { ...base, filterShape: c.filter }, inputs: { x: c.x, dy: dyShape } },
      { kernel: `${prefix}BackpropInput` as GradKernelName, attrs: { ...base, inputShape: c.x }, inputs: { dy: dyShape, filter: c.filter } },
    ];
    for (const v of variants) {
      const stockCpu = stockKernel(v.kernel, 'cpu');
      const stockWasm = stockKernel(v.kernel, 'wasm');
      const row: GradKernelTiming = {
        kernel: v.kernel,
        shape: describe(c),
        stockCpuMs: stockCpu ? await timeKernel('cpu', stockCpu, v.attrs, v.inputs, true) : NaN,
        oursCpuMs: await timeKernel('cpu', gradKernelConfig(v.kernel, 'cpu'), v.attrs, v.inputs, false),
        oursWasmMs: await timeKernel('wasm', gradKernelConfig(v.kernel, 'wasm'), v.attrs, v.inputs, false),
      };
      if (stockWasm) row.stockWasmMs = await timeKernel('wasm', stockWasm, v.attrs, v.inputs, false);
      rows.push(row);
    }
  }
  return rows;
}

function printTable(rows: GradKernelTiming[]): void {
  const fmt = (v: number | undefined) => (v == null || Number.isNaN(v) ? '—' : v.toFixed(2));
  const header = ['kernel', 'shape', 'stock cpu ms', 'ours cpu ms', 'ours wasm ms', 'stock wasm ms'];
  const lines = rows.map((r) => [r.kernel, r.shape, fmt(r.stockCpuMs), fmt(r.oursCpuMs), fmt(r.oursWasmMs), fmt(r.stockWasmMs)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(row(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  lines.forEach((l) => console.log(row(l)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printTable(await benchGradKernels());
}
