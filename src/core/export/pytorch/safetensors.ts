/**
 * safetensors writer (https://github.com/huggingface/safetensors, the documented format): an
 * 8-byte little-endian header length, a JSON header (name → dtype, shape, data_offsets into the
 * byte buffer that follows; optional `__metadata__` of strings), padded with spaces to a multiple
 * of 8, then the raw little-endian tensor bytes. PyTorch reads it with `safetensors.torch.load_file`
 * or the exported project's tensors.py.
 */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

export function encodeSafetensors(tensors: readonly NamedArray[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`safetensors: ${t.name} has ${t.data.length} values for shape [${t.shape}]`);
    if (t.name in header) throw new Error(`safetensors: duplicate tensor ${t.name}`);
    header[t.name] = { dtype: t.data instanceof Float32Array ? 'F32' : 'I32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  if (metadata) header.__metadata__ = metadata;
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors) {
    // Float32Array / Int32Array bytes are little-endian on every platform JS runs on in practice;
    // write through a DataView anyway so the file is right on any host.
    const dv = new DataView(out.buffer, at, t.data.byteLength);
    if (t.data instanceof Float32Array) t.data.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    else t.data.forEach((v, i) => dv.setInt32(i * 4, v, true));
    at += t.data.byteLength;
  }
  return out;
}

/** Reads back a safetensors buffer (F32 and I32 only): for tests and checks. */
export function decodeSafetensors(bytes: Uint8Array): { tensors: NamedArray[]; metadata: Record<string, string> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const metadata = (header.__metadata__ ?? {}) as unknown as Record<string, string>;
  const body = 8 + n;
  const tensors = Object.entries(header)
    .filter(([k]) => k !== '__metadata__')
    .map(([name, h]) => {
      const [b, e] = h.data_offsets;
      const dv = new DataView(bytes.buffer, bytes.byteOffset + body + b, e - b);
      const count = (e - b) / 4;
      const data = h.dtype === 'F32' ? Float32Array.from({ length: count }, (_, i) => dv.getFloat32(i * 4, true)) : Int32Array.from({ length: count }, (_, i) => dv.getInt32(i * 4, true));
      return { name, shape: h.shape, data };
    });
  return { tensors, metadata };
}
