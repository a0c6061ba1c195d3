// Browser mode: the Bridge is HTTP on 127.0.0.1 with the per-launch token, and the engine runs
// in a Web Worker behind the same port protocol as the desktop's hidden window. The server reads
// and builds project files; the page picks files, downloads what the server built, and keeps the
// recovery file in localStorage (a server may not write the person's disk as it likes).
import type {
  AppInfo,
  Bridge,
  ExportOutcome,
  FileLike,
  OpenOutcome,
  SaveOutcome,
  StudioDocument,
} from '../../electron/bridge'
import { BRIDGE_ROUTES, MAX_PROJECT_BYTES, TOKEN_HEADER, TOKEN_QUERY } from '../../electron/bridge'
import { ENGINE_PORT_MESSAGE } from '../../engine/protocol/port-message'
import { download, pickFile } from './files'
import type { Platform } from './platform'
import { base64ToBytes, bytesToBase64, decodeTensors, encodeWeights } from './wire'

const TOKEN_KEY = 'dendrite.token'
const RECOVERY_KEY = 'dendrite.recovery'
const RECOVERED = 'Recovered project'
/** The page's unsaved mark, as it last said (setDocumentState). */
let unsaved = false

/** Takes the token from the launch URL once, keeps it for reloads, and hides it from the bar. */
function launchToken(): string {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get(TOKEN_QUERY)
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete(TOKEN_QUERY)
    window.history.replaceState(null, '', url)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

/** The errors a refusing reply lists, or its status line. */
async function errorsOf(response: Response): Promise<string[]> {
  const text = await response.text()
  try {
    const body: unknown = JSON.parse(text)
    if (typeof body === 'object' && body !== null && 'errors' in body) {
      const list = body.errors
      if (Array.isArray(list)) return list.map(String)
    }
  } catch {
    // Not JSON: the status line and the text say it.
  }
  return [`${response.status} ${response.statusText}: ${text}`.trim()]
}

function documentJson(document: StudioDocument): string {
  const weights = document.weights ? { weights: encodeWeights(document.weights) } : {}
  return JSON.stringify({ ...document, ...weights })
}

/** Decodes the open route's reply: the weights' base64 back to floats. */
function openedFrom(json: unknown): OpenOutcome {
  // The server is ours and answers with OpenOutcome, tensors as base64: this is the HTTP edge.
  const outcome = json as OpenOutcome
  if (outcome.status !== 'opened' || !outcome.document.weights) return outcome
  const weights = {
    ...outcome.document.weights,
    tensors: decodeTensors(outcome.document.weights.tensors),
  }
  return { ...outcome, document: { ...outcome.document, weights } }
}

const withExtension = (name: string, ext: string): string =>
  name.toLowerCase().endsWith(ext) ? name : `${name}${ext}`

function httpBridge(token: string): Bridge {
  const post = (route: string, body: BodyInit, type: string) =>
    fetch(route, { method: 'POST', body, headers: { [TOKEN_HEADER]: token, 'content-type': type } })

  async function openBytes(name: string, bytes: ArrayBuffer): Promise<OpenOutcome> {
    if (bytes.byteLength > MAX_PROJECT_BYTES) {
      return {
        status: 'refused',
        name,
        errors: [`${name} is larger than ${MAX_PROJECT_BYTES} bytes`],
      }
    }
    const route = `${BRIDGE_ROUTES.openProject}?name=${encodeURIComponent(name)}`
    const response = await post(route, bytes, 'application/octet-stream')
    if (!response.ok) return { status: 'refused', name, errors: await errorsOf(response) }
    return openedFrom(await response.json())
  }

  /** The .dendrite bytes the server builds from a document, or the reasons it will not. */
  async function build(document: StudioDocument): Promise<Uint8Array | string[]> {
    const response = await post(
      BRIDGE_ROUTES.saveProject,
      documentJson(document),
      'application/json',
    )
    if (!response.ok) return errorsOf(response)
    return new Uint8Array(await response.arrayBuffer())
  }

  async function open(file: FileLike | null): Promise<OpenOutcome> {
    return file === null ? { status: 'canceled' } : openBytes(file.name, await file.arrayBuffer())
  }

  return {
    platform: 'browser',
    appInfo: async () => {
      const response = await fetch(BRIDGE_ROUTES.appInfo, { headers: { [TOKEN_HEADER]: token } })
      if (!response.ok) throw new Error((await errorsOf(response)).join('\n'))
      // The server is ours and answers with the Bridge's types; this is the HTTP edge.
      return (await response.json()) as AppInfo
    },
    openProject: (from) => {
      if (from.kind === 'dialog') return pickFile('.dendrite,.json').then(open)
      if (from.kind === 'file') return open(from.file)
      const name = from.path.split(/[\\/]/).pop() ?? from.path
      return Promise.resolve({
        status: 'refused',
        name,
        errors: ['Opening a file by its path needs the desktop app; use File ▸ Open…'],
      })
    },
    saveProject: async (request): Promise<SaveOutcome> => {
      const bytes = await build(request.document)
      if (Array.isArray(bytes)) return { status: 'failed', errors: bytes }
      const name = withExtension(request.suggestedName, '.dendrite')
      download(bytes, name, 'application/octet-stream')
      return { status: 'saved', name, path: null }
    },
    exportModel: async (request): Promise<ExportOutcome> => {
      const body = JSON.stringify({ ...request, weights: encodeWeights(request.weights) })
      const response = await post(BRIDGE_ROUTES.exportModel, body, 'application/json')
      if (!response.ok) return { status: 'failed', errors: await errorsOf(response) }
      // The server is ours: { files: [{ name, data (base64) }] }.
      const reply = (await response.json()) as { files: { name: string; data: string }[] }
      for (const f of reply.files)
        download(base64ToBytes(f.data), f.name, 'application/octet-stream')
      return { status: 'exported', names: reply.files.map((f) => f.name) }
    },
    recentFiles: () => Promise.resolve([]),
    setDocumentState: (state) => {
      unsaved = state.dirty
      return Promise.resolve()
    },
    writeRecovery: async (document) => {
      if (document === null) {
        localStorage.removeItem(RECOVERY_KEY)
        return
      }
      try {
        const bytes = await build(document)
        if (Array.isArray(bytes)) throw new Error(bytes.join('\n'))
        // Too large for localStorage (a few MB) throws QuotaExceededError: autosave reports it.
        localStorage.setItem(RECOVERY_KEY, bytesToBase64(bytes))
      } catch (err) {
        // The copy left there is older than these changes, and after a crash it would be offered
        // as the latest: none is kept until a write succeeds (autosave's warning says so).
        localStorage.removeItem(RECOVERY_KEY)
        throw err
      }
    },
    readRecovery: async () => {
      const text = localStorage.getItem(RECOVERY_KEY)
      if (text === null) return null
      let bytes: Uint8Array
      try {
        bytes = base64ToBytes(text)
      } catch {
        return { status: 'refused', name: RECOVERED, errors: ['the recovery data is damaged'] }
      }
      const outcome = await openBytes(RECOVERED, bytes.slice().buffer)
      return outcome.status === 'opened' ? { ...outcome, path: null } : outcome
    },
    closeWindow: () => Promise.resolve(),
    onCommand: () => () => undefined,
  }
}

/** Closing the tab with unsaved changes: the browser's own prompt (a page cannot draw one). */
function guardUnload(): void {
  window.addEventListener('beforeunload', (event) => {
    if (!unsaved) return
    event.preventDefault()
  })
}

export function browserPlatform(): Platform {
  const bridge = httpBridge(launchToken())
  guardUnload()
  const worker = new Worker(new URL('../../engine/host/worker.ts', import.meta.url), {
    type: 'module',
    name: 'dendrite-engine',
  })
  const channel = new MessageChannel()
  worker.postMessage(ENGINE_PORT_MESSAGE, [channel.port2])
  return {
    bridge,
    enginePort: Promise.resolve(channel.port1),
    // The Worker is not watched: a page reload starts a new one.
    onEnginePort: () => () => undefined,
  }
}
