// Browser mode's Bridge over HTTP: each route answers with the same services the desktop's IPC
// handlers call, after the same argument checks. server.ts has already checked the token, the
// origin, the method, the content type and the body's size.
import type { AppInfo, OpenOutcome } from '../bridge'
import { BRIDGE_ROUTES, MAX_PROJECT_BYTES } from '../bridge'
import { checkDocument, checkExportRequest } from '../services/bridge-args'
import { DocumentError, encodeDocument, exportBytes, openBytes } from '../services/documents'
import { decodeWith, encodeWeights } from './wire'

export interface RouteContext {
  appInfo: AppInfo
}

export interface ApiRequest {
  readonly url: URL
  readonly body: Uint8Array
}

export type ApiReply =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly bytes: Uint8Array }

export interface Route {
  readonly method: 'GET' | 'POST'
  /** The content type a POST body must have. */
  readonly accepts?: 'application/json' | 'application/octet-stream'
  readonly maxBody?: number
  handle(request: ApiRequest, ctx: RouteContext): Promise<ApiReply>
}

const bad = (errors: readonly string[], status = 400): ApiReply => ({ status, json: { errors } })

function parseJson(
  body: Uint8Array,
): { ok: true; value: unknown } | { ok: false; reply: ApiReply } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) }
  } catch (err) {
    return {
      ok: false,
      reply: bad([`body: not JSON (${err instanceof Error ? err.message : ''})`]),
    }
  }
}

/** An open outcome as JSON: the weights' floats as base64. */
function openReply(outcome: OpenOutcome): ApiReply {
  if (outcome.status !== 'opened' || !outcome.document.weights)
    return { status: 200, json: outcome }
  const document = { ...outcome.document, weights: encodeWeights(outcome.document.weights) }
  return { status: 200, json: { ...outcome, document } }
}

const appInfo: Route = {
  method: 'GET',
  handle: (_req, ctx) => Promise.resolve({ status: 200, json: ctx.appInfo }),
}

/** The file's bytes in, the project out (or why it is refused). ?name= is the file's name. */
const openProject: Route = {
  method: 'POST',
  accepts: 'application/octet-stream',
  maxBody: MAX_PROJECT_BYTES,
  handle: (req) => {
    const name = req.url.searchParams.get('name') ?? ''
    if (name === '' || name.length > 300) {
      return Promise.resolve(bad(['name: the file name (1 to 300 characters) is required']))
    }
    return Promise.resolve(openReply(openBytes(name, req.body)))
  },
}

type Checked<T> = { ok: true; value: T } | { ok: false; errors: readonly string[] }

/**
 * A POST route whose JSON body (with tensors as base64) is checked by `check` before `run`;
 * every refusal is a 400 listing what is wrong, a document the services refuse a 422.
 */
function jsonRoute<T>(
  where: string,
  check: (value: unknown) => Checked<T>,
  run: (value: T) => Promise<ApiReply>,
): Route {
  return {
    method: 'POST',
    accepts: 'application/json',
    maxBody: MAX_PROJECT_BYTES,
    handle: async (req) => {
      const json = parseJson(req.body)
      if (!json.ok) return json.reply
      const wireErrors: string[] = []
      const decoded = decodeWith(json.value, where, wireErrors)
      if (wireErrors.length > 0) return bad(wireErrors)
      const checked = check(decoded)
      if (!checked.ok) return bad(checked.errors)
      try {
        return await run(checked.value)
      } catch (err) {
        if (err instanceof DocumentError) return bad(err.errors, 422)
        throw err
      }
    },
  }
}

/** A StudioDocument in, the .dendrite file's bytes out (the page downloads them). */
const saveProject = jsonRoute('document', checkDocument, async (document) => ({
  status: 200,
  bytes: await encodeDocument(document),
}))

/** An ExportRequest in, the files out as JSON (name, base64 bytes): PyTorch's are two. */
const exportModel = jsonRoute('export', checkExportRequest, async (request) => {
  const files = await exportBytes(request)
  const list = files.map((f) => ({ name: f.name, data: bytesToBase64(f.bytes) }))
  return { status: 200, json: { status: 'exported', files: list } }
})

function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

export const routes: ReadonlyMap<string, Route> = new Map<string, Route>([
  [BRIDGE_ROUTES.appInfo, appInfo],
  [BRIDGE_ROUTES.openProject, openProject],
  [BRIDGE_ROUTES.saveProject, saveProject],
  [BRIDGE_ROUTES.exportModel, exportModel],
])
