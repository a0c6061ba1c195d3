// What the person has selected on the canvas: nodes (the last one picked is the primary, which
// the inspector shows) or one connection. Selecting one kind clears the other.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'

export const useSelectionStore = defineStore('selection', () => {
  const nodeIds = shallowRef<readonly string[]>([])
  const linkId = ref<string | null>(null)
  /** The primary selected node: the one picked last. */
  const nodeId = computed(() => nodeIds.value[nodeIds.value.length - 1] ?? null)

  /** Selects one node, or nothing for null. */
  function select(id: string | null): void {
    selectNodes(id === null ? [] : [id])
  }

  /** Selects these nodes; the last becomes the primary. */
  function selectNodes(ids: readonly string[]): void {
    const unique = [...new Set(ids)]
    if (unique.join('\n') !== nodeIds.value.join('\n')) nodeIds.value = unique
    linkId.value = null
  }

  function selectLink(id: string | null): void {
    if (nodeIds.value.length > 0) nodeIds.value = []
    linkId.value = id
  }

  /** Drops ids that no longer exist (after an undo, a delete, a new document). */
  function keepOnly(nodes: ReadonlySet<string>, links: ReadonlySet<string>): void {
    const kept = nodeIds.value.filter((id) => nodes.has(id))
    if (kept.length !== nodeIds.value.length) nodeIds.value = kept
    if (linkId.value !== null && !links.has(linkId.value)) linkId.value = null
  }

  return { nodeId, nodeIds, linkId, select, selectNodes, selectLink, keepOnly }
})
