// The engine's inspection of the open graph (shapes, parameters, problems), asked again after
// every change that matters to it. Replies to older graphs are dropped when a newer one is asked.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { InspectResult } from '../../engine/protocol/messages'
import { structureKey } from '../project/graph-edits'
import { useEngineStore } from './engine'
import { useProjectStore } from './project'

export const useInspectionStore = defineStore('inspection', () => {
  const engine = useEngineStore()
  const project = useProjectStore()
  const result = shallowRef<InspectResult | null>(null)
  const error = ref<string | null>(null)
  let asked = 0

  async function inspect(): Promise<void> {
    const client = engine.client
    if (!client) return
    const ticket = ++asked
    try {
      const answer = await client.request({ type: 'inspect', graph: project.graph })
      if (ticket !== asked) return
      result.value = answer
      error.value = null
    } catch (err) {
      if (ticket !== asked) return
      error.value = err instanceof Error ? err.message : String(err)
    }
  }

  const key = computed(() => structureKey(project.graph))
  watch([() => engine.client, key], () => void inspect(), { immediate: true })

  const count = (severity: 'error' | 'warning'): number =>
    result.value?.problems.filter((p) => p.severity === severity).length ?? 0
  const errorCount = computed(() => count('error'))
  const warningCount = computed(() => count('warning'))

  return { result, error, errorCount, warningCount, inspect }
})
