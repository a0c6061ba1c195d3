// The only protocol handler: reads requests from the port, answers each through its entry in
// the handler table, and turns every failure into a typed error reply.
import { inspectGraph } from '../graph/inspect'
import type { HelloResult, Request, RequestType, ResultOf } from '../protocol/messages'
import { PROTOCOL_VERSION } from '../protocol/messages'
import type { PortLike } from '../protocol/port'
import { errorReply, parseRequest, requestIdOf } from '../protocol/validate'
import { ENGINE_VERSION } from '../version'

export interface HostDeps {
  /** Which backends this host can run, found once at start-up. */
  hello: () => Promise<HelloResult>
}

type Handler<T extends RequestType> = (
  request: Extract<Request, { type: T }>,
  deps: HostDeps,
) => Promise<ResultOf<T>>

const handlers: { [T in RequestType]: Handler<T> } = {
  hello: (_, deps) => deps.hello(),
  inspect: (request) => Promise.resolve(inspectGraph(request.graph)),
}

export function serve(port: PortLike, deps: HostDeps): () => void {
  const onMessage = (event: MessageEvent): void => {
    void handle(port, deps, event.data)
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

async function handle(port: PortLike, deps: HostDeps, data: unknown): Promise<void> {
  const parsed = parseRequest(data)
  if (!parsed.ok) {
    port.postMessage(errorReply(requestIdOf(data), parsed.code, parsed.message))
    return
  }
  const request = parsed.value
  try {
    const result = await dispatch(request, deps)
    port.postMessage({
      v: PROTOCOL_VERSION,
      kind: 'response',
      id: request.id,
      type: request.type,
      result,
    })
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    port.postMessage(errorReply(request.id, 'internal', `${request.type} failed: ${message}`))
  }
}

function dispatch(request: Request, deps: HostDeps): Promise<unknown> {
  // Each request meets the handler of its own type; TypeScript cannot correlate the union here.
  const handler = handlers[request.type] as Handler<typeof request.type>
  return handler(request as never, deps)
}
