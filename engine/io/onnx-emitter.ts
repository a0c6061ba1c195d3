// Builds an ONNX graph's nodes and initializers as plain protobuf message objects: one call per
// operator, shared scalar constants added once, float data stored little-endian in raw_data.
import { ATTR, ONNX_FLOAT, ONNX_INT64 } from './onnx-schema'

export interface OnnxAttribute {
  name: string
  type: number
  f?: number
  i?: number
  floats?: number[]
  ints?: number[]
}

export interface OnnxNode {
  input: string[]
  output: string[]
  name: string
  opType: string
  attribute: OnnxAttribute[]
}

export interface OnnxTensor {
  name: string
  dims: number[]
  dataType: number
  rawData?: Uint8Array
  int64Data?: number[]
}

/** Attribute values by name; helpers below say which ONNX type each is. */
export type Attrs = Record<string, Omit<OnnxAttribute, 'name'>>
export const int = (i: number) => ({ type: ATTR.INT, i })
export const float = (f: number) => ({ type: ATTR.FLOAT, f })
export const ints = (v: readonly number[]) => ({ type: ATTR.INTS, ints: [...v] })

export class OnnxEmitter {
  readonly nodes: OnnxNode[] = []
  readonly initializers: OnnxTensor[] = []
  private readonly names = new Set<string>()

  /** Adds one operator writing `output`; returns `output`. */
  op(opType: string, input: readonly string[], output: string, attrs: Attrs = {}): string {
    const attribute = Object.entries(attrs).map(([name, a]) => ({ name, ...a }))
    this.nodes.push({ input: [...input], output: [output], name: output, opType, attribute })
    return output
  }

  /** A float initializer (weights keep their PyTorch name). */
  floats(name: string, dims: readonly number[], data: ArrayLike<number>): string {
    if (this.names.has(name)) return name
    this.names.add(name)
    const raw = new Uint8Array(data.length * 4)
    const view = new DataView(raw.buffer)
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] ?? 0, true)
    this.initializers.push({ name, dims: [...dims], dataType: ONNX_FLOAT, rawData: raw })
    return name
  }

  /** A scalar float constant, shared by every operator that uses the same value. */
  scalar(value: number): string {
    return this.floats(`const:${value}`, [], [value])
  }

  int64s(name: string, values: readonly number[]): string {
    if (this.names.has(name)) return name
    this.names.add(name)
    this.initializers.push({
      name,
      dims: [values.length],
      dataType: ONNX_INT64,
      int64Data: [...values],
    })
    return name
  }
}
