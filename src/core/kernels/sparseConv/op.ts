/**
 * sparseConv2d: submanifold convolution, outputs only at active sites (H-GKD's student).
 * On webgpu (after registerWebGPUKernels) the WGSL passes run over compacted lists of active
 * sites, so their cost scales with the active fraction; elsewhere the plain-tfjs reference.
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, padsUniform, type ConvGeometry } from '../convGeometry';
import { customOp } from '../customOp';
import { gpuZeros, runProgram, webgpuForKernels, type WebGPUBackend } from '../webgpu/dispatch';
import { checkActive } from './mask';
import { SparseConvCompactProgram, SparseConvFilterGradProgram, SparseConvForwardProgram, SparseConvInputGradProgram } from './programs';
import { sparseConv2dReference } from './reference';

/**
 * The active sites of the [N, Ho, Wo] grid whose site (n, oh, ow) reads active[n, oh·s, ow·s]:
 * int32 [1 + N·Ho·Wo], element 0 the count, then the sites packed by packSite (programs.ts)
 * in increasing order.
 */
export function compactSites(backend: WebGPUBackend, active: tf.Tensor, grid: readonly number[], stride: number): tf.Tensor1D {
  return runCompact(backend, active, grid, stride, 1, [0, 0]);
}

/**
 * For each filter tap t = kh·K + kw, at offset t·(1 + N·Ho·Wo): the list (count, packed sites)
 * of the active sites whose input at that tap, (oh·s + kh − padTop, ow·s + kw − padLeft), is
 * on the grid and active: the pairs the filter gradient sums over.
 */
export function compactTapSites(backend: WebGPUBackend, active: tf.Tensor, g: ConvGeometry): tf.Tensor1D {
  return runCompact(backend, active, g.outShape, g.strides[0], g.kernel[0], [g.top, g.left]);
}

function runCompact(backend: WebGPUBackend, active: tf.Tensor, grid: readonly number[], stride: number, k: number, [top, left]: number[]): tf.Tensor1D {
  const program = new SparseConvCompactProgram(grid, k * k);
  const uniforms = [
    { type: 'int32', data: [grid[0], grid[1], grid[2], stride] },
    { type: 'int32', data: [k, top, left, 0] },
  ];
  return runProgram(backend, program, [active], uniforms, { dtype: 'int32' }) as tf.Tensor1D;
}

/**
 * x [N, H, W, Ci]; active [N, H, W, 1] (0/1, input resolution); w [K, K, Ci, Co]
 * → [N, ⌈H/s⌉, ⌈W/s⌉, Co], 'same' padding, exactly 0 at inactive outputs (see downsampleMask
 * for the stride-2 rule). Gradients: x (exactly 0 at inactive inputs) and w; active gets zero.
 */
export function sparseConv2d(x: tf.Tensor4D, active: tf.Tensor4D, w: tf.Tensor4D, stride = 1): tf.Tensor4D {
  checkActive(x.shape, active.shape);
  const g = convGeometry(x.shape, w.shape, stride, 'same');
  const gpu = webgpuForKernels();
  if (gpu === null) return sparseConv2dReference(x, active, w, stride);
  const pads = padsUniform(g);
  const op = customOp(([xi, ai, wi], save) => {
    const outSites = compactSites(gpu, ai, g.outShape, stride);
    save([xi, ai, wi, outSites]);
    const y = runProgram(gpu, new SparseConvForwardProgram(g), [xi, ai, wi, outSites], pads, { into: gpuZeros(g.outShape) });
    const gradFunc = (dy: tf.Tensor, [xs, as, ws, sitesOut]: tf.Tensor[]) => {
      // Stride 1: input and output grids coincide, so the forward's list serves both.
      const sitesIn = stride === 1 ? sitesOut : compactSites(gpu, as, g.inShape, 1);
      const wt = tf.transpose(ws, [0, 1, 3, 2]); // [K, K, Co, Ci]: the input-grad pass reads 4 input channels side by side
      const dx = runProgram(gpu, new SparseConvInputGradProgram(g), [dy, as, wt, sitesIn], pads, { into: gpuZeros(g.inShape) });
      const tapSites = compactTapSites(gpu, as, g);
      const dw = runProgram(gpu, new SparseConvFilterGradProgram(g), [xs, dy, tapSites], pads);
      return [dx, tf.zerosLike(as), dw];
    };
    return { value: y, gradFunc };
  });
  return op(x, active, w) as tf.Tensor4D;
}
