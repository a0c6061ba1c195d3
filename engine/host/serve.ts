// The only protocol handler: reads requests from the port, answers each through its entry in
// the handler table, and turns every failure into a typed error reply. Large arrays in results
// travel as transferred buffers.
import type { DataSources } from '../data/registry'
import type { DataSpec } from '../data/spec'
import { inspectGraph } from '../graph/inspect'
import type { HelloResult, Request, RequestType, ResultOf } from '../protocol/messages'
import { PROTOCOL_VERSION } from '../protocol/messages'
import type { PortLike } from '../protocol/port'
import { errorReply, parseRequest, requestIdOf } from '../protocol/validate'
import { ENGINE_VERSION } from '../version'
import type { TrainingDeps, TrainingHost } from './training'
import { HostError, createTrainingHost } from './training'

export interface HostDeps {
  /** Which backends this host can run, found once at start-up. */
  hello: () => Promise<HelloResult>
  /** Bytes a data spec needs that the engine cannot read itself (MNIST's file). */
  sources: (spec: DataSpec) => Promise<DataSources>
  /** A WebGPU device (default: navigator.gpu's); tests hand in devices they can lose. */
  gpu?: TrainingDeps['gpu']
  /** Where WebGPU's tuner keeps its choices between runs of the app (default: nowhere). */
  tuneMemory?: TrainingDeps['tuneMemory']
}

type Handler<T extends RequestType> = (
  request: Extract<Request, { type: T }>,
  host: { deps: HostDeps; training: TrainingHost },
) => Promise<ResultOf<T>>

const handlers: { [T in RequestType]: Handler<T> } = {
  hello: (_, { deps }) => deps.hello(),
  inspect: (request) => Promise.resolve(inspectGraph(request.graph)),
  load: (request, { training }) => training.load(request),
  train: (request, { training }) => training.train(request),
  pause: (_, { training }) => training.pause(),
  step: (request, { training }) => training.step(request),
  reset: (_, { training }) => training.reset(),
  'set-learning-rate': (request, { training }) => training.setLearningRate(request),
  'set-epochs': (request, { training }) => training.setEpochs(request),
  evaluate: (request, { training }) => training.evaluate(request),
  probe: (request, { training }) => training.probe(request),
  weights: (_, { training }) => training.weights(),
  'initial-weights': (request, { training }) => training.initialWeights(request),
  'set-weights': (request, { training }) => training.setWeights(request),
}

export function serve(port: PortLike, deps: HostDeps): () => void {
  const training = createTrainingHost({
    sources: deps.sources,
    emit: (event) => port.postMessage(event),
    ...(deps.gpu === undefined ? {} : { gpu: deps.gpu }),
    ...(deps.tuneMemory === undefined ? {} : { tuneMemory: deps.tuneMemory }),
  })
  const onMessage = (event: MessageEvent): void => {
    void handle(port, { deps, training }, event.data)
  }
  port.addEventListener('message', onMessage)
  port.start?.()
  port.postMessage({
    v: PROTOCOL_VERSION,
    kind: 'event',
    type: 'ready',
    engineVersion: ENGINE_VERSION,
  })
  return () => port.removeEventListener('message', onMessage)
}

async function handle(
  port: PortLike,
  host: { deps: HostDeps; training: TrainingHost },
  data: unknown,
): Promise<void> {
  const parsed = parseRequest(data)
  if (!parsed.ok) {
    port.postMessage(errorReply(requestIdOf(data), parsed.code, parsed.message))
    return
  }
  const request = parsed.value
  try {
    const result = await dispatch(request, host)
    const reply = {
      v: PROTOCOL_VERSION,
      kind: 'response',
      id: request.id,
      type: request.type,
      result,
    }
    port.postMessage(reply, transferables(result))
  } catch (err) {
    if (err instanceof HostError) {
      const reply = errorReply(request.id, err.code, err.message)
      port.postMessage(err.problems ? { ...reply, problems: err.problems } : reply)
      return
    }
    const message = err instanceof Error ? err.message : String(err)
    port.postMessage(errorReply(request.id, 'internal', `${request.type} failed: ${message}`))
  }
}

function dispatch(request: Request, host: { deps: HostDeps; training: TrainingHost }) {
  // Each request meets the handler of its own type; TypeScript cannot correlate the union here.
  const handler = handlers[request.type] as Handler<typeof request.type>
  return handler(request as never, host)
}

/** The buffers of every Float32Array in a result, each once (results hold copies). */
function transferables(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (value instanceof Float32Array) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer)
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, found)
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) transferables(v, found)
  }
  return [...found]
}
