// The studio's side of the engine protocol: typed requests with ids, replies matched to them,
// events fanned out, and every incoming message validated before anyone sees it.
import type {
  EngineEvent,
  EngineMessage,
  ProblemMessage,
  ErrorCode,
  RequestBody,
  RequestType,
  ResultOf,
} from '../../engine/protocol/messages'
import { PROTOCOL_VERSION } from '../../engine/protocol/messages'
import type { PortLike } from '../../engine/protocol/port'
import { parseEngineMessage } from '../../engine/protocol/validate'

export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For invalid-project: each problem with the node, port or attribute it concerns. */
    readonly problems: readonly ProblemMessage[] = [],
  ) {
    super(message)
  }
}

interface Pending {
  type: RequestType
  resolve: (result: unknown) => void
  reject: (error: EngineError) => void
}

export interface EngineClient {
  request<T extends RequestType>(body: RequestBody<T> & { type: T }): Promise<ResultOf<T>>
  onEvent(listener: (event: EngineEvent) => void): () => void
  /** Messages from the engine that failed validation; they are dropped, and reported here. */
  onInvalid(listener: (problem: string) => void): () => void
}

/** Resolves or rejects a pending request with its reply. */
function settle(waiting: Pending, message: Exclude<EngineMessage, EngineEvent>): void {
  if (message.kind === 'error') {
    waiting.reject(new EngineError(message.code, message.message, message.problems ?? []))
  } else if (message.type !== waiting.type) {
    waiting.reject(new EngineError('bad-message', `expected a ${waiting.type} reply`))
  } else waiting.resolve(message.result)
}

export function createEngineClient(port: PortLike): EngineClient {
  let nextId = 1
  const pending = new Map<number, Pending>()
  const events = new Set<(event: EngineEvent) => void>()
  const invalid = new Set<(problem: string) => void>()

  port.addEventListener('message', (event: MessageEvent) => {
    const parsed = parseEngineMessage(event.data)
    if (!parsed.ok) {
      for (const l of invalid) l(`${parsed.code}: ${parsed.message}`)
      return
    }
    const message = parsed.value
    if (message.kind === 'event') {
      for (const l of events) l(message)
      return
    }
    const waiting = message.id === null ? undefined : pending.get(message.id)
    if (!waiting) {
      const why =
        message.kind === 'error' ? `${message.code}: ${message.message}` : 'no such request'
      for (const l of invalid) l(`reply to unknown request ${String(message.id)} (${why})`)
      return
    }
    pending.delete(message.id ?? -1)
    settle(waiting, message)
  })
  port.start?.()

  const request: EngineClient['request'] = (body) => {
    const id = nextId++
    return new Promise((resolve, reject) => {
      // The reply's result was validated against resultSchemas[type] in parseEngineMessage.
      pending.set(id, { type: body.type, resolve: resolve as (r: unknown) => void, reject })
      port.postMessage({ ...body, v: PROTOCOL_VERSION, kind: 'request', id })
    })
  }

  return {
    request,
    onEvent(listener) {
      events.add(listener)
      return () => events.delete(listener)
    },
    onInvalid(listener) {
      invalid.add(listener)
      return () => invalid.delete(listener)
    },
  }
}
