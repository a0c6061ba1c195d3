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

/**
 * One graph's operators and initializers. Every tensor name it hands out is unique (ONNX graphs
 * are in SSA form: one producer per name), whatever the node ids are: a name already taken gets
 * a suffix (`relu_2`). Every operator output is a name from name(); the nodes' names are taken
 * before any operator is emitted, so a node keeps its id and the exporter's own names
 * (`gelu/half_x`, `const:0.5`) are the ones that give way.
 */
export class OnnxEmitter {
  readonly nodes: OnnxNode[] = []
  readonly initializers: OnnxTensor[] = []
  /** Every name taken: initializers, operator outputs, the graph's inputs and outputs. */
  private readonly used = new Set<string>()
  /** Names claimed by name() that no operator has written yet. */
  private readonly claimed = new Set<string>()
  private readonly scalars = new Map<number, string>()

  /** A unique name, `base` if free, for one operator's output: op() writes it; returns it. */
  name(base: string): string {
    const name = this.unique(base)
    this.claimed.add(name)
    return name
  }

  /** Takes a unique name, `base` if free, that no operator writes (a graph input); returns it. */
  reserve(base: string): string {
    return this.unique(base)
  }

  /** Whether a name from name() is still waiting for the operator that writes it. */
  isClaimed(name: string): boolean {
    return this.claimed.has(name)
  }

  /**
   * Adds one operator writing `output`, a name from name() that no operator wrote yet (so two
   * operators never write one name); returns `output`.
   */
  op(opType: string, input: readonly string[], output: string, attrs: Attrs = {}): string {
    if (!this.claimed.delete(output)) {
      throw new Error(`ONNX export: "${output}" is not a name from name(), or written twice`)
    }
    const attribute = Object.entries(attrs).map(([name, a]) => ({ name, ...a }))
    this.nodes.push({ input: [...input], output: [output], name: output, opType, attribute })
    return output
  }

  /** An initializer under exactly this name (a weight, under its PyTorch name). */
  weight(name: string, dims: readonly number[], data: ArrayLike<number>): string {
    if (this.used.has(name)) throw new Error(`ONNX export: tensor name "${name}" is taken`)
    return this.floats(name, dims, data)
  }

  /** A float initializer named `base`, made unique; returns its name. */
  floats(base: string, dims: readonly number[], data: ArrayLike<number>): string {
    const name = this.unique(base)
    const raw = new Uint8Array(data.length * 4)
    const view = new DataView(raw.buffer)
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] ?? 0, true)
    this.initializers.push({ name, dims: [...dims], dataType: ONNX_FLOAT, rawData: raw })
    return name
  }

  /** A scalar float constant, shared by every operator that uses the same value. */
  scalar(value: number): string {
    let name = this.scalars.get(value)
    if (name === undefined) {
      name = this.floats(`const:${value}`, [], [value])
      this.scalars.set(value, name)
    }
    return name
  }

  /** An int64 initializer named `base`, made unique; returns its name. */
  int64s(base: string, values: readonly number[]): string {
    const name = this.unique(base)
    this.initializers.push({
      name,
      dims: [values.length],
      dataType: ONNX_INT64,
      int64Data: [...values],
    })
    return name
  }

  /** `base`, or `base_2`, `base_3`… whichever is free first; marks it taken. */
  private unique(base: string): string {
    let name = base
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`
    this.used.add(name)
    return name
  }
}
