// The canvas's public face for the rest of the studio (the palette, menus):
//
//   const canvas = useCanvasStore()
//   canvas.addLayer('dense')             // near the view's centre, covering no node: one undo
//                                        // step, selected; with one layer selected, after it
//                                        // and wired to its output ("Add layer after")
//   canvas.addLayer('dense', { x, y })   // centred on a point in area coordinates
//   canvas.centre()                      // the view's centre in area coordinates
//   await canvas.zoomToFit()             // every node in view
//
// Drag and drop: a drag whose dataTransfer carries LAYER_DRAG_TYPE (the layer type as its data)
// may be dropped on the canvas, which adds the layer centred on the drop point.
// The mounted canvas attaches itself here; without one, centre() is the origin and zoomToFit
// does nothing.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { getLayer } from '../../engine/graph/registry'
import type { Point } from '../project/graph-edits'
import { addLayer as addLayerEdit } from '../project/graph-edits'
import { useProjectStore } from '../stores/project'
import { useSelectionStore } from '../stores/selection'
import { cascadeSpot, freeSpot } from './free-spot'
import { NODE_HEIGHT, NODE_WIDTH } from './layer-node'

/** The dataTransfer type of a layer dragged from the palette; its data is the layer type. */
export const LAYER_DRAG_TYPE = 'application/x-dendrite-layer'

/** What a mounted canvas offers. */
export interface CanvasView {
  centre(): Point
  fit(): Promise<void>
  /** The canvas's "Add layer after": wired, or at `loose` with the reason told; its id. */
  addAfter(type: string, sourceId: string, loose: Point): string | null
}

export const useCanvasStore = defineStore('canvas', () => {
  const project = useProjectStore()
  const selection = useSelectionStore()
  let view: CanvasView | null = null
  /** Whether a canvas is mounted. */
  const mounted = ref(false)

  function attach(next: CanvasView | null): void {
    view = next
    mounted.value = next !== null
  }

  function centre(): Point {
    return view?.centre() ?? { x: 0, y: 0 }
  }

  async function zoomToFit(): Promise<void> {
    await view?.fit()
  }

  /** The one selected layer a layer without a place is added after, when it can take input. */
  function addingAfter(type: string): string | undefined {
    const [one, ...more] = selection.nodeIds
    const present = project.graph.nodes.some((n) => n.id === one)
    const takesInput = (getLayer(type)?.inputs.length ?? 0) > 0
    return more.length === 0 && present && takesInput ? one : undefined
  }

  /**
   * Adds a layer and selects it; its id. Without `at`, near the view's centre where it covers no
   * node, or, with one layer selected, after it as the canvas's "Add layer after" does; with
   * `at` (a drop, the canvas menu), centred on that point.
   */
  function addLayer(type: string, at?: Point): string {
    const p = at ?? centre()
    const corner = { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) }
    const spot = at ? cascadeSpot(project.graph, corner) : freeSpot(project.graph, type, corner)
    const after = at ? undefined : addingAfter(type)
    const added = after === undefined ? null : view?.addAfter(type, after, spot)
    if (added) return added
    const { graph, id } = addLayerEdit(project.graph, type, spot)
    project.edit(`Add ${getLayer(type)?.title ?? type}`, graph)
    selection.select(id)
    return id
  }

  return { mounted, attach, centre, zoomToFit, addLayer }
})
