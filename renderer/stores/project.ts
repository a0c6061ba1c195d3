// The open document: the ModelGraph the canvas edits, and whether it changed since it was
// opened. Every edit, from the canvas or elsewhere, replaces the graph as a whole.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ModelGraph } from '../../engine/graph/model-graph'
import { addLayer as addLayerTo, sameGraph } from '../project/graph-edits'
import { starterGraph } from '../project/starter-graph'

export const useProjectStore = defineStore('project', () => {
  const graph = shallowRef<ModelGraph>(starterGraph())
  const dirty = ref(false)

  /** Takes an edited graph; an identical one (the canvas echoing a load) changes nothing. */
  function replace(next: ModelGraph): void {
    if (sameGraph(next, graph.value)) return
    graph.value = next
    dirty.value = true
  }

  /** Adds a layer of this type with default attributes; returns its id. */
  function addLayer(type: string): string {
    const { graph: next, id } = addLayerTo(graph.value, type)
    replace(next)
    return id
  }

  return { graph, dirty, replace, addLayer }
})
