/**
 * Composes a backend's own registered kernels from inside another kernel.
 *
 * A kernelFunc receives raw TensorInfos and must not go through the engine (that would
 * record on the gradient tape and count tensors), so gradient kernels here call the SAME
 * backend's kernel functions directly. Every intermediate is recorded and freed with
 * `backend.disposeData` when the composite kernel finishes, so nothing leaks.
 */
import { getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';

/** The backends these kernels register on (the worker's choice of backend is BackendName, src/worker/protocol.ts). */
export type GradientBackend = 'wasm' | 'cpu';

/** Pads of a 2-D spatial op: [top, bottom, left, right]; negative values crop. */
export type Pads4 = [number, number, number, number];

export class KernelOps {
  private readonly temps: TensorInfo[] = [];

  constructor(
    readonly backend: KernelBackend,
    readonly backendName: string,
  ) {}

  /** Runs a registered kernel of this backend; the output is freed by `finish` unless returned. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(kernelName, this.backendName) as ReturnType<typeof getKernel> | undefined;
    if (kernel == null) throw new Error(`kernel ${kernelName} is not registered for backend ${this.backendName}`);
    const out = kernel.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error(`kernel ${kernelName} returned several outputs`);
    this.temps.push(out);
    return out;
  }

  /** No copy: reshape only shares the data (with its own reference). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /**
   * Transpose on the lowest-rank equivalent view: size-1 axes dropped and input axes that
   * stay adjacent merged (e.g. [N,H,W,C]→[C,H,W,N] runs as [N,HW,C]→[C,HW,N], which the
   * wasm kernel does ~2× faster). A pure reshape when nothing really moves.
   */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    const outShape = perm.map((axis) => x.shape[axis]);
    const kept = perm.filter((axis) => x.shape[axis] !== 1);
    // Group runs of consecutive input axes in output order.
    const groups: number[][] = [];
    for (const axis of kept) {
      const last = groups[groups.length - 1];
      if (last != null && last[last.length - 1] === axis - 1) last.push(axis);
      else groups.push([axis]);
    }
    if (groups.length <= 1) return this.reshape(x, outShape);
    const byInputOrder = [...groups].sort((a, b) => a[0] - b[0]);
    const viewShape = byInputOrder.map((g) => g.reduce((size, axis) => size * x.shape[axis], 1));
    const viewPerm = groups.map((g) => byInputOrder.indexOf(g));
    const view = this.reshape(x, viewShape);
    return this.reshape(this.run('Transpose', { x: view }, { perm: viewPerm }), outShape);
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return x;
    return this.run('Slice', { x }, { begin, size });
  }

  /** Zero padding; `paddings[i] = [before, after]`, both ≥ 0. */
  pad(x: TensorInfo, paddings: [number, number][]): TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** Pads (positive) or crops (negative) each axis. */
  padOrCrop(x: TensorInfo, paddings: [number, number][]): TensorInfo {
    const begin = paddings.map(([a]) => Math.max(0, -a));
    const size = paddings.map(([a, b], i) => x.shape[i] - Math.max(0, -a) - Math.max(0, -b));
    const cropped = this.slice(x, begin, size);
    return this.pad(cropped, paddings.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]));
  }

  reverse(x: TensorInfo, dims: number[]): TensorInfo {
    const real = dims.filter((d) => x.shape[d] !== 1);
    if (real.length === 0) return x;
    return this.run('Reverse', { x }, { dims: real });
  }

  sum(x: TensorInfo, axis: number[]): TensorInfo {
    return this.run('Sum', { x }, { axis, keepDims: false });
  }

  /**
   * Stride/dilation conv with explicit pads [top, bottom, left, right]; negative pads crop
   * (kernels only accept pads ≥ 0).
   */
  conv2d(x: TensorInfo, filter: TensorInfo, strides: [number, number], dilations: [number, number], pads: Pads4): TensorInfo {
    return this.spatial('Conv2D', x, filter, strides, dilations, pads);
  }

  /** Depthwise conv, filter [KH, KW, C, multiplier]; same pad convention as `conv2d`. */
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, strides: [number, number], dilations: [number, number], pads: Pads4): TensorInfo {
    return this.spatial('DepthwiseConv2dNative', x, filter, strides, dilations, pads);
  }

  private spatial(
    kernelName: string,
    x: TensorInfo,
    filter: TensorInfo,
    strides: [number, number],
    dilations: [number, number],
    pads: Pads4,
  ): TensorInfo {
    const crop = pads.map((p) => Math.max(0, -p));
    const pad = [[0, 0], [Math.max(0, pads[0]), Math.max(0, pads[1])], [Math.max(0, pads[2]), Math.max(0, pads[3])], [0, 0]];
    const attrs = { strides, dilations, pad, dataFormat: 'NHWC' };
    if (crop.every((c) => c === 0)) return this.run(kernelName, { x, filter }, attrs);
    if (strides[0] === 1 && strides[1] === 1) {
      // With stride 1 each cropped input row just removes one output row, and the outputs
      // here are small while Slice of a large input is slow (wasm copies the whole input).
      const y = this.run(kernelName, { x, filter }, attrs);
      const [b, h, w, c] = y.shape;
      return this.slice(y, [0, crop[0], crop[2], 0], [b, h - crop[0] - crop[1], w - crop[2] - crop[3], c]);
    }
    const [b, h, w, c] = x.shape;
    const input = this.slice(x, [0, crop[0], crop[2], 0], [b, h - crop[0] - crop[1], w - crop[2] - crop[3], c]);
    return this.run(kernelName, { x: input, filter }, attrs);
  }

  /**
   * Returns `out` as the composite kernel's result and frees every other intermediate.
   * If `out` is not one of ours (an input passed through), a new reference is made so the
   * engine can own it.
   */
  finish(out: TensorInfo): TensorInfo {
    const result = this.temps.includes(out) ? out : this.reshape(out, out.shape);
    this.disposeExcept(result);
    return result;
  }

  /** Frees all intermediates except `keep` (used on error paths too). */
  disposeExcept(keep?: TensorInfo): void {
    for (const t of this.temps) if (t !== keep) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}

/** Runs `body` with a fresh KernelOps and frees its intermediates, even when it throws. */
export function composeKernel(backend: KernelBackend, backendName: string, body: (ops: KernelOps) => TensorInfo): TensorInfo {
  const ops = new KernelOps(backend, backendName);
  try {
    return ops.finish(body(ops));
  } catch (e) {
    ops.disposeExcept();
    throw e;
  }
}
