// The Bridge between the studio page and the machine (files, dialogs, settings): its types, the
// IPC channels (desktop) and HTTP routes (browser mode) that carry it, and nothing that runs.
// The desktop preload implements it over IPC, browser mode over HTTP; both reach electron/services.
import type { DataSpec } from '../engine/data/spec'
import type { ModelGraph } from '../engine/graph/model-graph'
import type { Project } from '../engine/io/project-json'

export type { CanvasView, Project } from '../engine/io/project-json'
export type { CurvePoint as FileCurvePoint, Run as FileRun } from '../engine/io/run-history'

export type PlatformKind = 'desktop' | 'browser'

export interface AppInfo {
  name: string
  version: string
  platform: PlatformKind
  /** process.platform of the machine serving the studio: linux, darwin, win32. */
  os: string
}

// ---- documents ---------------------------------------------------------------------------------

/** A tensor as the engine hands it out: row-major float32 values and their shape. */
export interface WireTensor {
  readonly shape: readonly number[]
  readonly data: Float32Array
}
export type WireTensors = Readonly<Record<string, WireTensor>>

/**
 * Weights as the studio holds them: fresh from the engine, with the graph and data they were
 * trained on (the services describe them: graph metadata, input standardisation), or kept as a
 * project file held them, metadata and all.
 */
export type StudioWeights =
  | {
      readonly kind: 'trained'
      readonly graph: ModelGraph
      readonly tensors: WireTensors
      readonly data: DataSpec
      /** The CSV's text when `data` is a CSV and differs from the document's. */
      readonly csv?: string
    }
  | {
      readonly kind: 'kept'
      readonly tensors: WireTensors
      readonly metadata: Readonly<Record<string, string>>
    }

/** A project as the studio saves it: the document, the imported CSV's text, the weights. */
export interface StudioDocument {
  readonly project: Project
  readonly csv?: string
  readonly weights?: StudioWeights
}

/** A project as a file held it: the weights with the metadata they were saved with. */
export interface OpenedDocument {
  readonly project: Project
  readonly csv?: string
  readonly weights?: Extract<StudioWeights, { kind: 'kept' }>
}

// ---- calls -------------------------------------------------------------------------------------

/** Enough of a DOM File for the Bridge: its name and its bytes. */
export interface FileLike {
  readonly name: string
  arrayBuffer(): Promise<ArrayBuffer>
}

/** Where a project to open comes from, as the page asks for it. */
export type OpenFrom =
  /** The open dialog: native on the desktop, the browser's file picker in browser mode. */
  | { readonly kind: 'dialog' }
  /** A path the person chose before: the recent list, a file the system opened the app with. */
  | { readonly kind: 'path'; readonly path: string }
  /** A file dropped on the window. */
  | { readonly kind: 'file'; readonly file: FileLike }

/** What the preload sends to main for OpenFrom: a dropped file becomes its path or its bytes. */
export type OpenCall =
  | { readonly kind: 'dialog' }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'dropped'; readonly path: string }
  | { readonly kind: 'bytes'; readonly name: string; readonly bytes: Uint8Array }

export type OpenOutcome =
  | {
      readonly status: 'opened'
      readonly document: OpenedDocument
      /** The file's name, for the title bar. */
      readonly name: string
      /** Where it is (desktop), so that Save writes it back; null when unknown. */
      readonly path: string | null
      /** Set when the file was in an older format: saving writes the current one. */
      readonly migratedFrom?: number
    }
  | { readonly status: 'refused'; readonly name: string; readonly errors: readonly string[] }
  | { readonly status: 'canceled' }

export interface SaveRequest {
  readonly document: StudioDocument
  /** The file the document came from (desktop); null for a new one. */
  readonly path: string | null
  /** Ask where to save, even when there is a path (Save As). */
  readonly saveAs: boolean
  /** The file name offered in the dialog, or the download's name. */
  readonly suggestedName: string
}

export type SaveOutcome =
  | { readonly status: 'saved'; readonly name: string; readonly path: string | null }
  | { readonly status: 'failed'; readonly errors: readonly string[] }
  | { readonly status: 'canceled' }

export const EXPORT_FORMATS = ['safetensors', 'onnx', 'pytorch'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** The file extension each export is written with (PyTorch's weights go beside the .py file). */
export const EXPORT_EXTENSIONS = {
  safetensors: '.safetensors',
  onnx: '.onnx',
  pytorch: '.py',
} as const satisfies Record<ExportFormat, string>

export interface ExportRequest {
  readonly format: ExportFormat
  /** The model's name (the project's), also the file name offered. */
  readonly name: string
  readonly weights: StudioWeights
}

export type ExportOutcome =
  | { readonly status: 'exported'; readonly names: readonly string[] }
  | { readonly status: 'failed'; readonly errors: readonly string[] }
  | { readonly status: 'canceled' }

export interface RecentFile {
  readonly path: string
  /** Whether the file is still there. */
  readonly exists: boolean
}

/** The open document as the window shows it: the close prompt and macOS's edited mark. */
export interface DocumentState {
  readonly name: string
  readonly path: string | null
  readonly dirty: boolean
}

/** Commands from the native menus and the desktop shell to the studio page. */
export type StudioCommand =
  | { readonly type: 'new' }
  | { readonly type: 'open' }
  | { readonly type: 'save' }
  | { readonly type: 'save-as' }
  | { readonly type: 'close' }
  | { readonly type: 'open-path'; readonly path: string }
  | { readonly type: 'export'; readonly format: ExportFormat }
  /** The window is closing: ask about unsaved changes, then call closeWindow(). */
  | { readonly type: 'close-window' }
  /** The hidden engine window crashed or hung and a new one is starting. */
  | { readonly type: 'engine-restarted'; readonly reason: string }
  /** It failed too often in a short time: no more restarts. */
  | { readonly type: 'engine-stopped'; readonly reason: string }

export interface Bridge {
  readonly platform: PlatformKind
  appInfo(): Promise<AppInfo>
  openProject(from: OpenFrom): Promise<OpenOutcome>
  /** Desktop: over its file or through the save dialog. Browser mode: a download. */
  saveProject(request: SaveRequest): Promise<SaveOutcome>
  /** Desktop: through the save dialog. Browser mode: downloads. */
  exportModel(request: ExportRequest): Promise<ExportOutcome>
  /** The recent-files list, newest first (empty in browser mode). */
  recentFiles(): Promise<RecentFile[]>
  setDocumentState(state: DocumentState): Promise<void>
  /** Autosave: keep this document as the recovery file; null removes it. */
  writeRecovery(document: StudioDocument | null): Promise<void>
  /** The recovery file a crash left, opened and checked; null when there is none. */
  readRecovery(): Promise<OpenOutcome | null>
  /** The person agreed to close the window (desktop); nothing in browser mode. */
  closeWindow(): Promise<void>
  /** Commands from the shell; returns the function that stops listening. */
  onCommand(listener: (command: StudioCommand) => void): () => void
}

/** The Bridge's request–reply calls: everything but the platform and the command stream. */
export type BridgeCall = Exclude<keyof Bridge, 'platform' | 'onCommand'>

/** The arguments each call sends over IPC (the preload turns OpenFrom into an OpenCall). */
export interface IpcArgs {
  appInfo: []
  openProject: [OpenCall]
  saveProject: [SaveRequest]
  exportModel: [ExportRequest]
  recentFiles: []
  setDocumentState: [DocumentState]
  writeRecovery: [StudioDocument | null]
  readRecovery: []
  closeWindow: []
}

/** IPC channel names (desktop) for each Bridge call. */
export const BRIDGE_CHANNELS = {
  appInfo: 'dendrite:app-info',
  openProject: 'dendrite:open-project',
  saveProject: 'dendrite:save-project',
  exportModel: 'dendrite:export-model',
  recentFiles: 'dendrite:recent-files',
  setDocumentState: 'dendrite:document-state',
  writeRecovery: 'dendrite:write-recovery',
  readRecovery: 'dendrite:read-recovery',
  closeWindow: 'dendrite:close-window',
} as const satisfies Record<BridgeCall, string>

/** Main → studio page: StudioCommand messages. */
export const COMMAND_CHANNEL = 'dendrite:command'

/**
 * HTTP routes (browser mode). The page keeps the rest itself: recovery in localStorage, no
 * recent files, no window. POST bodies: open takes the file's bytes (?name=…); save and export
 * take JSON where each tensor's data is base64 of its little-endian float32 bytes.
 */
export const BRIDGE_ROUTES = {
  appInfo: '/api/app-info',
  openProject: '/api/project/open',
  saveProject: '/api/project/save',
  exportModel: '/api/export',
} as const satisfies Partial<Record<BridgeCall, string>>

/** The largest project file or request body the Bridge takes. */
export const MAX_PROJECT_BYTES = 256 * 1024 * 1024

/** Header that carries browser mode's per-launch token on API calls. */
export const TOKEN_HEADER = 'x-dendrite-token'
export const TOKEN_COOKIE = 'dendrite_token'
export const TOKEN_QUERY = 'token'

/** Sent by main to the studio page with the engine's MessagePort. */
export const ENGINE_PORT_CHANNEL = 'dendrite:engine-port'

/** A project file's extension; the open dialogs and drops take these. */
export const PROJECT_EXTENSIONS = ['.dendrite', '.json'] as const
