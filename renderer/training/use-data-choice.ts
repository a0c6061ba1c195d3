// The data the next session trains on: a built-in recipe (with its noise, size, split and seed)
// or a CSV file whose text travels with every load. Changing it loads a session soon after, so
// the preview and the engine's verdict on the data come without pressing Train.
import { shallowRef } from 'vue'
import type { BuiltinName } from '../../engine/data/catalog'
import type { DataSpec } from '../../engine/data/spec'
import { defaultSpec } from '../../engine/data/spec'
import type { Task } from './runs'

const LOAD_DELAY_MS = 250

export function useDataChoice(load: () => Promise<boolean>) {
  // Shallow: these travel to the engine by postMessage, which cannot clone reactive proxies.
  const data = shallowRef<DataSpec>(defaultSpec('circle'))
  const csv = shallowRef<{ name: string; text: string } | null>(null)
  let timer: ReturnType<typeof setTimeout> | null = null

  /** Loads once the data stops changing (a slider being dragged loads once). */
  function scheduleLoad(): void {
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      void load()
    }, LOAD_DELAY_MS)
  }

  function chooseBuiltin(name: BuiltinName): void {
    csv.value = null
    data.value = defaultSpec(name, data.value.seed)
    scheduleLoad()
  }

  function updateData(patch: {
    noise?: number
    size?: number
    trainRatio?: number
    seed?: number
  }) {
    // Both kinds have trainRatio and seed; noise and size are only offered for built-in sets.
    data.value = { ...data.value, ...patch } as DataSpec
    scheduleLoad()
  }

  /** Uses a CSV file; the engine's reader checks every cell when it loads. */
  function useCsv(name: string, text: string, options: { target: string; task: 'auto' | Task }) {
    csv.value = { name, text }
    data.value = {
      kind: 'csv',
      name,
      target: options.target,
      task: options.task,
      standardize: true,
      trainRatio: data.value.trainRatio,
      seed: data.value.seed,
    }
    return load()
  }

  /** A project's recipe (its CSV text, if any, is not part of it). */
  function setData(spec: DataSpec): void {
    csv.value = null
    data.value = spec
  }

  return { data, csv, chooseBuiltin, updateData, useCsv, setData }
}
