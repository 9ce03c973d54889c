/**
 * Base class of our WebGPU programs (the `WebGPUProgram` contract of tfjs-backend-webgpu 4.22,
 * see shaders/README.md). The shader text is a named body plus template parameters, and the
 * shaderKey is derived from exactly those two, so anything baked into the WGSL is in the key
 * (tfjs caches pipelines by shaderKey + input/output ranks and dtypes, not by shapes).
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { renderShader, type ShaderName, type ShaderParams } from './shaderRegistry';

export type { WebGPUProgram };

/**
 * How invocations are laid out:
 * - `flat`: one invocation per output element, 64 per workgroup, `index` = flat output index;
 *   the body guards with `index >= uniforms.size` (or a tighter bound of its own).
 * - `workgroups`: `count` workgroups of `size` invocations; the body uses `workgroupId.x` and
 *   `localId.x` (reductions in workgroup memory). `size` is passed to the body as `{{WG}}`.
 * - `lanes`: `count` invocations, 64 per workgroup, `index` = invocation index, for bodies that
 *   compute several output elements each (register blocking); no `uniforms.size`: the body
 *   guards with a bound of its own.
 */
export type Layout = { kind: 'flat' } | { kind: 'workgroups'; count: number; size: number } | { kind: 'lanes'; count: number };

const FLAT_WORKGROUP = 64;

export abstract class KernelProgram implements WebGPUProgram {
  abstract readonly variableNames: string[];
  /** Program-defined uniform fields (WGSL struct members), appended after the shapes tfjs declares. */
  uniforms?: string;
  outputShape: number[];
  /** Set from the shader name and params; tfjs later appends ranks/dtypes to it. */
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** Whether tfjs passes `uniforms.size` (the output element count). */
  size: boolean;
  /**
   * Elements per array item of each input binding (4: `array<vec4<f32>>`, the buffer read 4 floats
   * at a time; unset: all 1) and of `result`; set by a subclass whose shader reads/writes vec4s.
   */
  variableComponents?: number[];
  outputComponent?: number;
  private readonly params: ShaderParams;

  constructor(
    private readonly shader: ShaderName,
    params: ShaderParams,
    outputShape: number[],
    layout: Layout = { kind: 'flat' },
  ) {
    this.outputShape = outputShape;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    if (layout.kind !== 'workgroups') {
      const count = layout.kind === 'lanes' ? layout.count : outputShape.reduce((a, b) => a * b, 1);
      if (layout.kind === 'lanes' && Math.ceil(count / FLAT_WORKGROUP) > 65535) throw new Error(`${shader}: ${count} invocations exceed one dispatch dimension`);
      this.params = params;
      this.workgroupSize = [FLAT_WORKGROUP, 1, 1];
      this.dispatch = [Math.ceil(count / FLAT_WORKGROUP), 1, 1];
      this.size = layout.kind === 'flat';
    } else {
      // The bodies index workgroups by workgroupId.x alone; tfjs would fold a larger count into y.
      if (layout.count > 65535) throw new Error(`${shader}: ${layout.count} workgroups exceed one dispatch dimension`);
      this.params = { ...params, WG: layout.size };
      this.workgroupSize = [layout.size, 1, 1];
      this.dispatch = [layout.count, 1, 1];
      this.size = false;
    }
    this.shaderKey = [shader, ...Object.entries(this.params).map(([k, v]) => `${k}${v}`)].join('_');
  }

  getUserCode(): string {
    return renderShader(this.shader, this.params);
  }
}
