/**
 * Reads the engine's saved form of a net (netFormat.ts: model.json + one weights buffer) into
 * plain Float32Arrays, without tfjs, so the exporters run wherever the bytes are: the runner,
 * a test, or the page's main thread. Only what serializeNet writes is accepted (unquantised
 * float32); anything else is refused with a message naming `source`.
 */
import { NET_FORMAT, type NetModelJson } from '../models/netFormat';
import { type ArchSpec, parseSpec } from '../models/spec';

export interface Weight {
  shape: number[];
  data: Float32Array;
}

export interface EngineModel {
  spec: ArchSpec;
  options: NetModelJson['options'];
  meta: Record<string, unknown>;
  /** By the engine's local parameter name (`stem.conv.w`, `s1.b1.bn1.gamma`, …). */
  weights: Map<string, Weight>;
}

const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

export function readEngineModel(modelJson: unknown, weights: ArrayBuffer, source: string): EngineModel {
  const mj = modelJson as Partial<NetModelJson> | null;
  if (!mj || mj.format !== NET_FORMAT || typeof mj.arch !== 'string' || !Array.isArray(mj.weightsManifest)) {
    throw new Error(`${source}: not a ${NET_FORMAT} model.json`);
  }
  let spec: ArchSpec;
  try {
    spec = parseSpec(mj.arch);
  } catch (e) {
    throw new Error(`${source}: arch: ${(e as Error).message}`);
  }
  const o = mj.options;
  if (!o || !isPositiveInt(o.inputSize) || !isPositiveInt(o.inChannels) || !isPositiveInt(o.classes)) {
    throw new Error(`${source}: options must give a positive integer inputSize, inChannels and classes`);
  }
  const out = new Map<string, Weight>();
  let offset = 0; // bytes; entries are laid out back to back in manifest order
  for (const entry of mj.weightsManifest.flatMap((g) => g.weights ?? [])) {
    if (entry.dtype !== 'float32' || entry.quantization !== undefined) {
      throw new Error(`${source}: weight ${entry.name} is ${entry.quantization !== undefined ? 'quantised' : entry.dtype}; only float32 is exported`);
    }
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * size > weights.byteLength) throw new Error(`${source}: weights file ends inside ${entry.name}`);
    out.set(entry.name, { shape: [...entry.shape], data: readFloat32(weights, offset, size) });
    offset += 4 * size;
  }
  if (offset !== weights.byteLength) throw new Error(`${source}: weights file has ${weights.byteLength - offset} bytes the manifest does not describe`);
  return { spec, options: o, meta: mj.meta ?? {}, weights: out };
}

/** Little-endian float32s (the tfjs weights format) as a fresh array. */
function readFloat32(buffer: ArrayBuffer, byteOffset: number, count: number): Float32Array {
  const view = new DataView(buffer, byteOffset, 4 * count);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/** Float32s as little-endian bytes, the byte order both ONNX raw_data and tfjs weights use. */
export function float32Bytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(4 * data.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  return out;
}
