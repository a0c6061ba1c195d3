// The open document: the ModelGraph, its name and lesson, and its edit history. Every change
// goes through edit(), which records it as one undo step; undo and redo swap whole graphs, and
// the canvas reconciles itself to whatever graph is current. Where the canvas looks (its pan and
// zoom) is kept too, for a save to write; it is no edit, and leaves the document unchanged.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ModelGraph } from '../../engine/graph/model-graph'
import type { CanvasView } from '../../electron/bridge'
import { sameGraph } from '../project/graph-edits'
import { starterGraph } from '../project/starter-graph'

const HISTORY_LIMIT = 200

interface Entry {
  graph: ModelGraph
  label: string
}

export const useProjectStore = defineStore('project', () => {
  const graph = shallowRef<ModelGraph>(starterGraph())
  const name = ref('Untitled')
  const lesson = ref<string | null>(null)
  const dirty = ref(false)
  const past = shallowRef<Entry[]>([])
  const future = shallowRef<Entry[]>([])
  /** Counts open() calls, so views can tell a new document (fit it) from an edit. */
  const opened = ref(0)
  /** Where the canvas looks: as opened (null: fit the graph into view), then as panned. */
  const view = shallowRef<CanvasView | null>(null)

  /** Replaces the graph as one undoable step; an identical graph changes nothing. */
  function edit(label: string, next: ModelGraph): void {
    if (sameGraph(next, graph.value)) return
    past.value = [...past.value, { graph: graph.value, label }].slice(-HISTORY_LIMIT)
    future.value = []
    graph.value = next
    dirty.value = true
  }

  function undo(): void {
    const last = past.value[past.value.length - 1]
    if (!last) return
    past.value = past.value.slice(0, -1)
    future.value = [{ graph: graph.value, label: last.label }, ...future.value]
    graph.value = last.graph
    dirty.value = true
  }

  function redo(): void {
    const next = future.value[0]
    if (!next) return
    future.value = future.value.slice(1)
    past.value = [...past.value, { graph: graph.value, label: next.label }]
    graph.value = next.graph
    dirty.value = true
  }

  /** Opens a document: a new graph with no history. */
  function open(
    next: ModelGraph,
    meta: { name: string; lesson?: string | null; view?: CanvasView | null },
  ): void {
    graph.value = next
    name.value = meta.name
    lesson.value = meta.lesson ?? null
    view.value = meta.view ?? null
    past.value = []
    future.value = []
    dirty.value = false
    opened.value++
  }

  return {
    graph,
    name,
    lesson,
    dirty,
    opened,
    view,
    edit,
    undo,
    redo,
    open,
    canUndo: computed(() => past.value.length > 0),
    canRedo: computed(() => future.value.length > 0),
    /** What undo and redo would do, for menus and tooltips ("Undo Add Dense"). */
    undoLabel: computed(() => past.value[past.value.length - 1]?.label ?? null),
    redoLabel: computed(() => future.value[0]?.label ?? null),
  }
})
