// The weights a save or an export takes, and putting saved weights back into the engine. Trained
// weights come from the engine (`weights`) with the graph and data the session was made from;
// a session that has not trained since it loaded leaves the last weights the studio kept (from
// the file, or the last save), which are what the engine holds after a restore anyway. Without a
// session (a graph with no loss yet) the engine still makes the weights the model starts from.
import type { StudioWeights, WireTensors } from '../../electron/bridge'
import { EngineError } from '../engine-client/client'
import { useEngineStore } from '../stores/engine'
import { useProjectStore } from '../stores/project'
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

/** Initial weights, or the engine's reasons it cannot make them for this graph and data. */
export type MadeWeights =
  { ok: true; weights: StudioWeights } | { ok: false; lines: readonly string[] }

/**
 * The weights the model starts from, made by the engine without a session: an untrained model
 * exports as Keras and PyTorch save one straight after it is built, loss or no loss.
 */
export async function initialWeights(): Promise<MadeWeights> {
  const client = useEngineStore().client
  const training = useTrainingStore()
  if (!client) return { ok: false, lines: ['The engine is not running.'] }
  const data = training.data
  const csv = data.kind === 'csv' && training.csv?.name === data.name ? training.csv.text : null
  if (data.kind === 'csv' && csv === null) {
    return { ok: false, lines: [`The data file ${data.name} is not loaded: import it again.`] }
  }
  const from = { graph: useProjectStore().graph, data, settings: training.settings }
  try {
    const made = await client.request({
      type: 'initial-weights',
      ...from,
      ...(csv === null ? {} : { csv }),
    })
    const weights = { kind: 'trained' as const, graph: made.graph, tensors: made.tensors, data }
    return { ok: true, weights: csv === null ? weights : { ...weights, csv } }
  } catch (err) {
    return { ok: false, lines: reasons(err) }
  }
}

/** The engine's message and, for a graph it refused, each problem with the node it names. */
function reasons(err: unknown): string[] {
  const message = err instanceof Error ? err.message : String(err)
  const problems = err instanceof EngineError ? err.problems : []
  const named = problems.map((p) => (p.node ? `${p.node}: ${p.message}` : p.message))
  return [message, ...named]
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
