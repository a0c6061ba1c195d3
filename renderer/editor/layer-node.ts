// A Rete node built from a registry layer: its ports, its attribute values, and the badges the
// engine's inspection puts on it (output shape, parameter count, problems).
import { ClassicPreset } from 'rete'
import type { Family, Layer } from '../../engine/graph/layer'
import type { AttrValue } from '../../engine/graph/model-graph'
import type { Severity } from '../../engine/graph/problems'
import { getLayer } from '../../engine/graph/registry'
import { tensorSocket } from './sockets'
import type { TensorSocket } from './sockets'

/** One of the engine's problems with a node: an error, a warning or a hint. */
export interface NodeProblem {
  readonly severity: Severity
  readonly message: string
}

/** What the node shows from the latest inspection; `pending` until one has arrived. */
export interface NodeBadges {
  readonly state: 'pending' | 'inferred' | 'failed'
  readonly shape: string
  readonly params: string
  /** Errors first, then warnings, then hints. */
  readonly problems: readonly NodeProblem[]
  /** Training's word on its units: "3 of 8 units dead", "all 8 units saturated". */
  readonly diagnostic?: string
}

export const PENDING_BADGES: NodeBadges = {
  state: 'pending',
  shape: '…',
  params: '…',
  problems: [],
}

/** Ports a graph refers to that the layer does not declare; kept so no edge is dropped. */
export interface ExtraPorts {
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
}

/** A node card's width (LayerNode.vue draws it this wide) and a typical height. */
export const NODE_WIDTH = 168
export const NODE_HEIGHT = 112

export const NO_EXTRA_PORTS: ExtraPorts = { inputs: [], outputs: [] }

interface PortLabel {
  readonly name: string
  readonly label: string
}

/** The ports a node of this type shows: the layer's own, then any extra ones, in order. */
export function portsOf(
  type: string,
  extra: ExtraPorts = NO_EXTRA_PORTS,
): { inputs: PortLabel[]; outputs: PortLabel[] } {
  const layer = getLayer(type)
  const own = (ports: Layer['inputs'] | undefined): PortLabel[] =>
    (ports ?? []).map((p) => ({ name: p.name, label: p.label ?? p.name }))
  const more = (names: readonly string[]): PortLabel[] =>
    names.map((name) => ({ name, label: name }))
  return {
    inputs: [...own(layer?.inputs), ...more(extra.inputs)],
    outputs: [...own(layer?.outputs), ...more(extra.outputs)],
  }
}

export interface LayerNodeInit {
  readonly id: string
  readonly type: string
  readonly label?: string | undefined
  readonly attrs: Readonly<Record<string, AttrValue>>
}

export class LayerNode extends ClassicPreset.Node<
  Record<string, TensorSocket>,
  Record<string, TensorSocket>
> {
  readonly layerType: string
  readonly layer: Layer | undefined
  attrs: Record<string, AttrValue>
  /** The label the person gave the node; undefined means "use the layer's title". */
  customLabel: string | undefined
  badges: NodeBadges = PENDING_BADGES
  /** The drawn size, measured after rendering; the minimap, fit and auto-arrange read it. */
  width = NODE_WIDTH
  height = NODE_HEIGHT

  constructor(init: LayerNodeInit, extra: ExtraPorts = NO_EXTRA_PORTS) {
    const layer = getLayer(init.type)
    super(init.label ?? layer?.title ?? init.type)
    this.id = init.id
    this.layerType = init.type
    this.layer = layer
    this.attrs = { ...init.attrs }
    this.customLabel = init.label
    this.addPorts(extra)
  }

  get family(): Family | 'unknown' {
    return this.layer?.family ?? 'unknown'
  }

  /** Updates the fields a graph can change without replacing the node; true when any did. */
  assign(init: LayerNodeInit): boolean {
    const label = init.label ?? this.layer?.title ?? init.type
    const changed =
      label !== this.label ||
      init.label !== this.customLabel ||
      JSON.stringify(init.attrs) !== JSON.stringify(this.attrs)
    this.label = label
    this.customLabel = init.label
    this.attrs = { ...init.attrs }
    return changed
  }

  private addPorts(extra: ExtraPorts): void {
    const { inputs, outputs } = portsOf(this.layerType, extra)
    inputs.forEach((p, index) => {
      const port = new ClassicPreset.Input(tensorSocket, p.label)
      port.index = index
      this.addInput(p.name, port)
    })
    outputs.forEach((p, index) => {
      const port = new ClassicPreset.Output(tensorSocket, p.label)
      port.index = index
      this.addOutput(p.name, port)
    })
  }
}
