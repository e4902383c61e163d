/**
 * sklearn-onnx ends a classifier with ZipMap, whose output is a sequence of maps (class → probability)
 * that onnxruntime-node cannot return (it returns tensors only). ZipMap's input is the plain
 * `[N, classes]` probability tensor, so this adds that tensor to the graph's outputs, by editing
 * the model's protobuf bytes (ModelProto.graph = 7; GraphProto.node = 1, output = 12; NodeProto
 * input = 1, output = 2, op_type = 4, attribute = 5; AttributeProto name = 1, ints = 8,
 * strings = 9; ValueInfoProto.name = 1, in onnx.proto3), and reads ZipMap's class labels.
 * Appending an occurrence of a repeated field is valid protobuf; the output's type is inferred by
 * ONNX Runtime from the node that produces it.
 */

/** A ZipMap at the end of the graph. */
export interface ZipMapOutput {
  /** The graph output holding the sequence of maps. */
  readonly mapOutput: string;
  /** ZipMap's input: the probability tensor, added as a graph output. */
  readonly tensor: string;
  /** `classlabels_int64s` or `classlabels_strings`, in column order. */
  readonly classLabels: readonly (number | string)[];
}

interface Field {
  readonly number: number;
  readonly wire: number;
  /** Start of the field's tag, end of its value. */
  readonly start: number;
  readonly end: number;
  /** Value bytes of a length-delimited field; the varint value of a varint field. */
  readonly bytes?: Uint8Array;
  readonly varint?: number;
}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let scale = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error("truncated varint");
    const b = buf[pos++] as number;
    result += (b & 0x7f) * scale;
    if (b < 0x80) return [result, pos];
    scale *= 128;
  }
}

function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    pos = afterTag;
    const number = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      const [value, next] = readVarint(buf, pos);
      pos = next;
      yield { number, wire, start, end: pos, varint: value };
    } else if (wire === 2) {
      const [length, next] = readVarint(buf, pos);
      const end = next + length;
      if (end > buf.length) throw new Error("truncated field");
      yield { number, wire, start, end, bytes: buf.subarray(next, end) };
      pos = end;
    } else if (wire === 1) {
      pos += 8;
      yield { number, wire, start, end: pos };
    } else if (wire === 5) {
      pos += 4;
      yield { number, wire, start, end: pos };
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
}

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString("utf8");

function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

function lengthDelimited(fieldNumber: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([varint(fieldNumber * 8 + 2), varint(bytes.length), bytes]);
}

function zipMapOf(
  node: Uint8Array,
): { input: string; output: string; labels: (number | string)[] } | undefined {
  let op = "";
  const inputs: string[] = [];
  const outputs: string[] = [];
  const labels: (number | string)[] = [];
  for (const f of fields(node)) {
    if (f.number === 1) inputs.push(text(f.bytes));
    else if (f.number === 2) outputs.push(text(f.bytes));
    else if (f.number === 4) op = text(f.bytes);
    else if (f.number === 5 && f.bytes) {
      let name = "";
      const values: (number | string)[] = [];
      for (const a of fields(f.bytes)) {
        if (a.number === 1) name = text(a.bytes);
        else if (a.number === 8 && a.wire === 0) values.push(a.varint as number);
        else if (a.number === 8 && a.bytes) {
          for (let pos = 0; pos < a.bytes.length; ) {
            const [v, next] = readVarint(a.bytes, pos);
            values.push(v);
            pos = next;
          }
        } else if (a.number === 9) values.push(text(a.bytes));
      }
      if (name === "classlabels_int64s" || name === "classlabels_strings") labels.push(...values);
    }
  }
  if (op !== "ZipMap" || inputs[0] === undefined || outputs[0] === undefined) return undefined;
  return { input: inputs[0], output: outputs[0], labels };
}

/**
 * Finds ZipMap nodes whose output is a graph output and returns the model with their probability
 * tensors added as outputs; the model unchanged (and no ZipMaps) when it has none. Throws on bytes
 * that are not a protobuf message (the caller reports it as "not an ONNX model").
 */
export function exposeZipMapInputs(model: Uint8Array): { bytes: Uint8Array; zipMaps: ZipMapOutput[] } {
  const top = [...fields(model)];
  const graphField = top.find((f) => f.number === 7 && f.bytes !== undefined);
  if (graphField?.bytes === undefined) return { bytes: model, zipMaps: [] };
  const graph = graphField.bytes;
  const graphOutputs = new Set<string>();
  const candidates: { input: string; output: string; labels: (number | string)[] }[] = [];
  for (const f of fields(graph)) {
    if (f.number === 12 && f.bytes) {
      for (const v of fields(f.bytes)) if (v.number === 1) graphOutputs.add(text(v.bytes));
    } else if (f.number === 1 && f.bytes) {
      const z = zipMapOf(f.bytes);
      if (z) candidates.push(z);
    }
  }
  const zipMaps = candidates
    .filter((z) => graphOutputs.has(z.output) && !graphOutputs.has(z.input))
    .map((z) => ({ mapOutput: z.output, tensor: z.input, classLabels: z.labels }));
  if (zipMaps.length === 0) return { bytes: model, zipMaps: [] };
  const added = zipMaps.map((z) => lengthDelimited(12, lengthDelimited(1, Buffer.from(z.tensor, "utf8"))));
  const newGraph = Buffer.concat([graph, ...added]);
  const parts = top.filter((f) => f !== graphField).map((f) => model.subarray(f.start, f.end));
  return { bytes: Buffer.concat([...parts, lengthDelimited(7, newGraph)]), zipMaps };
}
