// The Rete schemes of the studio's canvas: LayerNode nodes joined by Link connections.
import type { GetSchemes } from 'rete'
import { ClassicPreset } from 'rete'
import type { MinimapExtra } from 'rete-minimap-plugin'
import type { VueArea2D } from 'rete-vue-plugin'
import type { LayerNode } from './layer-node'

/** A connection from an output port to an input port; its id is the ModelGraph edge's id. */
export class Link<N extends LayerNode> extends ClassicPreset.Connection<N, N> {
  selected = false
  /** Hidden while the person drags it off its input to put it elsewhere. */
  detached = false
  /** Its accessible name, "Dense 1 → ReLU"; kept up to date as nodes are renamed. */
  name = ''
}

export type Schemes = GetSchemes<LayerNode, Link<LayerNode>>
/** Keyboard focus landed on a node: select it without reordering the DOM (which would blur it). */
export interface NodeFocused {
  type: 'nodefocused'
  data: { id: string }
}

export type AreaExtra = VueArea2D<Schemes> | MinimapExtra | NodeFocused
