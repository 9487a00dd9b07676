/**
 * The float initializers (weights) of an ONNX model, read straight from its protobuf bytes: for graphs so small that
 * calling onnxruntime costs far more than their arithmetic (the amortized ASR's arbitrators, 4,700 multiply-adds each).
 * Only what that needs: ModelProto.graph (7) -> GraphProto.initializer (5) -> TensorProto dims (1), data_type (2),
 * float_data (4), name (8), raw_data (9); FLOAT tensors only (data_type 1), little-endian as ONNX stores them.
 */

export interface Tensor { readonly name: string; readonly dims: readonly number[]; readonly data: Float32Array }

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly end = buf.length) {}
  varint(): number {
    let out = 0, mul = 1;
    for (;;) {
      const b = this.buf[this.pos++]!;
      out += (b & 0x7f) * mul;
      if (b < 0x80) return out;
      mul *= 128;
    }
  }
  /** The next field: its number, wire type, and for length-delimited ones the bytes' span. */
  field(): { no: number; wire: number; start: number; end: number } {
    const key = this.varint();
    const wire = key & 7, no = Math.floor(key / 8);
    const start = this.pos;
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else if (wire === 2) { const n = this.varint(); return { no, wire, start: this.pos, end: (this.pos += n) }; }
    else throw new Error(`ONNX protobuf: wire type ${wire} not expected`);
    return { no, wire, start, end: this.pos };
  }
  sub(start: number, end: number): Reader { const r = new Reader(this.buf, end); r.pos = start; return r; }
}

function tensor(r: Reader): Tensor | undefined {
  const dims: number[] = [];
  let name = '', type = 0, raw: Uint8Array | undefined, floats: number[] = [];
  while (r.pos < r.end) {
    const f = r.field();
    const sub = () => r.sub(f.start, f.end);
    if (f.no === 1) {
      if (f.wire === 2) { const s = sub(); while (s.pos < s.end) dims.push(s.varint()); } else dims.push(r.sub(f.start, f.end).varint());
    } else if (f.no === 2) type = r.sub(f.start, f.end).varint();
    else if (f.no === 8) name = new TextDecoder().decode(r.buf.subarray(f.start, f.end));
    else if (f.no === 9) raw = r.buf.subarray(f.start, f.end);
    else if (f.no === 4 && f.wire === 2) { const v = new DataView(r.buf.buffer, r.buf.byteOffset + f.start, f.end - f.start); for (let i = 0; i + 4 <= v.byteLength; i += 4) floats.push(v.getFloat32(i, true)); }
  }
  if (type !== 1) return undefined;
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  if (raw) { const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength); for (let i = 0; i < n; i++) data[i] = v.getFloat32(4 * i, true); } else data.set(floats.slice(0, n));
  return { name, dims, data };
}

/** Every FLOAT initializer of the model, in file order. Throws on bytes that are not an ONNX model. */
export function onnxInitializers(bytes: Uint8Array): Tensor[] {
  const top = new Reader(bytes);
  const out: Tensor[] = [];
  while (top.pos < top.end) {
    const f = top.field();
    if (f.no !== 7 || f.wire !== 2) continue;
    const g = top.sub(f.start, f.end);
    while (g.pos < g.end) {
      const h = g.field();
      if (h.no === 5 && h.wire === 2) { const t = tensor(g.sub(h.start, h.end)); if (t) out.push(t); }
    }
  }
  return out;
}
