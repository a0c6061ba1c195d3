// What the person has selected on the canvas; the inspector shows it.
import { defineStore } from 'pinia'
import { ref } from 'vue'

export const useSelectionStore = defineStore('selection', () => {
  const nodeId = ref<string | null>(null)

  function select(id: string | null): void {
    nodeId.value = id
  }

  return { nodeId, select }
})
