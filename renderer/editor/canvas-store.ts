// The canvas's public face for the rest of the studio (the palette, menus):
//
//   const canvas = useCanvasStore()
//   canvas.addLayer('dense')             // adds at the centre of the view: one undo step, selected
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
import type { ModelGraph } from '../../engine/graph/model-graph'
import type { Point } from '../project/graph-edits'
import { addLayer as addLayerEdit } from '../project/graph-edits'
import { useProjectStore } from '../stores/project'
import { useSelectionStore } from '../stores/selection'
import { NODE_HEIGHT, NODE_WIDTH } from './layer-node'

/** The dataTransfer type of a layer dragged from the palette; its data is the layer type. */
export const LAYER_DRAG_TYPE = 'application/x-dendrite-layer'

/** What a mounted canvas offers. */
export interface CanvasView {
  centre(): Point
  fit(): Promise<void>
}

const CASCADE = 24

/** `at`, moved down and right past any node already standing there (repeated adds fan out). */
export function freeSpot(graph: ModelGraph, at: Point): Point {
  let p = { ...at }
  const taken = (q: Point): boolean =>
    graph.nodes.some(
      (n) =>
        Math.abs(n.position.x - q.x) < CASCADE / 2 && Math.abs(n.position.y - q.y) < CASCADE / 2,
    )
  for (let i = 0; i < 50 && taken(p); i++) p = { x: p.x + CASCADE, y: p.y + CASCADE }
  return p
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

  /** Adds a layer centred on `at` (default: the view's centre) and selects it; its id. */
  function addLayer(type: string, at: Point = centre()): string {
    const corner = { x: Math.round(at.x - NODE_WIDTH / 2), y: Math.round(at.y - NODE_HEIGHT / 2) }
    const { graph, id } = addLayerEdit(project.graph, type, freeSpot(project.graph, corner))
    project.edit(`Add ${getLayer(type)?.title ?? type}`, graph)
    selection.select(id)
    return id
  }

  return { mounted, attach, centre, zoomToFit, addLayer }
})
