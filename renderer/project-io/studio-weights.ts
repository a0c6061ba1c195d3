// The weights a save or an export takes, and putting saved weights back into the engine. Trained
// weights come from the engine (`weights`) with the graph and data the session was made from;
// a session that has not trained since it loaded leaves the last weights the studio kept (from
// the file, or the last save), which are what the engine holds after a restore anyway.
import type { StudioWeights, WireTensors } from '../../electron/bridge'
import { useEngineStore } from '../stores/engine'
import { useTrainingStore } from '../stores/training'
import { withInputShape } from '../training/input-shape'

/** The session's weights when it has trained since it loaded (or `any` time); null otherwise. */
export async function trainedWeights(
  options: { any?: boolean } = {},
): Promise<StudioWeights | null> {
  const client = useEngineStore().client
  const source = sessionSource(options.any === true)
  if (!client || !source) return null
  const tensors = await client.request({ type: 'weights' })
  return { kind: 'trained', ...source, tensors }
}

type Source = Omit<Extract<StudioWeights, { kind: 'trained' }>, 'kind' | 'tensors'>

/** The graph and data the session was made from, when it has weights worth taking. */
function sessionSource(any: boolean): Source | null {
  const training = useTrainingStore()
  const session = training.session
  const graph = training.sessionGraph
  const trained = (training.progress?.step ?? 0) > 0
  if (!session || !graph || !(trained || any)) return null
  const data = dataSource()
  if (!data) return null
  // The engine fitted the Input to the data; the weights' graph says so too.
  return { graph: withInputShape(graph, session.dataset.inputShape) ?? graph, ...data }
}

/** The data the run started from (the panel may show another choice since), with its CSV. */
function dataSource(): Pick<Source, 'data' | 'csv'> | null {
  const training = useTrainingStore()
  const data = training.current?.data ?? training.data
  if (data.kind !== 'csv') return { data }
  const csv = training.csv
  return csv && csv.name === data.name ? { data, csv: csv.text } : null
}

/**
 * Writes saved weights into the session the engine has just loaded. Returns null when they went
 * in, or why not (names or shapes that do not fit the graph, no session).
 */
export async function restoreWeights(tensors: WireTensors): Promise<string | null> {
  const client = useEngineStore().client
  const training = useTrainingStore()
  if (!client || !training.session) return 'the engine has no session for this project'
  // Copies: the port clones them anyway, and the kept weights stay as they were.
  const copy: Record<string, { shape: number[]; data: Float32Array<ArrayBuffer> }> = {}
  for (const [name, t] of Object.entries(tensors)) {
    copy[name] = { shape: [...t.shape], data: t.data.slice() }
  }
  try {
    await client.request({ type: 'set-weights', tensors: copy })
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
  training.refreshProbes()
  return null
}
