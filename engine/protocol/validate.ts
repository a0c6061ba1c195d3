// Checks every protocol message where it enters, on both sides. A malformed message becomes a
// typed error reply (engine side) or a typed failure (studio side), never an exception.
import type { z } from 'zod'
import { issueLines } from '../graph/model-graph'
import type { EngineMessage, ErrorCode, ErrorReply, Request, RequestType } from './messages'
import { EngineMessageSchema, PROTOCOL_VERSION, RequestSchema, resultSchemas } from './messages'

const REQUEST_TYPES = new Set<string>(RequestSchema.options.map((o) => o.shape.type.value))

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string }

function fail<T>(code: ErrorCode, message: string): Parsed<T> {
  return { ok: false, code, message }
}

function describe(error: z.ZodError): string {
  const lines = issueLines(error)
  const more = lines.length > 5 ? ` (and ${lines.length - 5} more)` : ''
  return lines.slice(0, 5).join('; ') + more
}

function isRecord(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data)
}

/** Engine side: a request from the studio. */
export function parseRequest(data: unknown): Parsed<Request> {
  if (!isRecord(data)) return fail('bad-message', 'a message must be an object')
  if (data.v !== PROTOCOL_VERSION) {
    return fail(
      'unsupported-version',
      `protocol version ${JSON.stringify(data.v)} is not spoken here (this engine speaks ` +
        `${PROTOCOL_VERSION})`,
    )
  }
  if (data.kind !== 'request') return fail('bad-message', 'kind: expected "request"')
  if (typeof data.type !== 'string' || !REQUEST_TYPES.has(data.type)) {
    return fail('unknown-type', `no request type ${JSON.stringify(data.type)}`)
  }
  const result = RequestSchema.safeParse(data)
  return result.success
    ? { ok: true, value: result.data }
    : fail('bad-message', describe(result.error))
}

/** The id of a request that failed validation, where one can be read, for the error reply. */
export function requestIdOf(data: unknown): number | null {
  if (!isRecord(data)) return null
  const id = data.id
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null
}

export function errorReply(id: number | null, code: ErrorCode, message: string): ErrorReply {
  return { v: PROTOCOL_VERSION, kind: 'error', id, code, message }
}

/** Studio side: anything from the engine, results checked against their request type. */
export function parseEngineMessage(data: unknown): Parsed<EngineMessage> {
  if (isRecord(data) && data.v !== PROTOCOL_VERSION) {
    return fail('unsupported-version', `engine speaks protocol ${JSON.stringify(data.v)}`)
  }
  const result = EngineMessageSchema.safeParse(data)
  if (!result.success) return fail('bad-message', describe(result.error))
  const message = result.data
  if (message.kind === 'response') {
    const typed = resultSchemas[message.type].safeParse(message.result)
    if (!typed.success) return fail('bad-message', `result: ${describe(typed.error)}`)
    return { ok: true, value: { ...message, result: typed.data } }
  }
  return { ok: true, value: message }
}

export function isRequestType(type: string): type is RequestType {
  return REQUEST_TYPES.has(type)
}
