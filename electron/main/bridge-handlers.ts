// The desktop Bridge's handlers, apart from Electron so that Node tests run them: each takes the
// call's arguments as unknown values, checks them, and answers with electron/services. Files are
// reached only through paths the person chose: the open and save dialogs, the recent-files list,
// a file dropped on the window or one the system opened the app with.
import { mkdir } from 'node:fs/promises'
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path'
import type {
  AppInfo,
  BridgeCall,
  Bridge,
  DocumentState,
  ExportOutcome,
  ExportRequest,
  OpenCall,
  OpenOutcome,
  RecentFile,
  SaveOutcome,
  SaveRequest,
  StudioDocument,
} from '../bridge'
import { EXPORT_EXTENSIONS, PROJECT_EXTENSIONS } from '../bridge'
import { createAutosave, findRecovery, recoveryPath } from '../services/autosave'
import {
  checkArity,
  checkDocumentState,
  checkExportRequest,
  checkOpenCall,
  checkRecovery,
  checkSaveRequest,
  orThrow,
} from '../services/bridge-args'
import { DocumentError, encodeDocument, openBytes, openOutcome } from '../services/documents'
import { writeExportFiles } from '../services/documents'
import { openProject, saveProjectBytes } from '../services/projects'
import { createRecentFiles } from '../services/recent-files'

/** What the handlers need from the desktop: dialogs, the window, where settings live. */
export interface DesktopHost {
  readonly settingsDir: string
  appInfo(): AppInfo
  /** The native open dialog; the chosen path or null. */
  chooseProjectToOpen(): Promise<string | null>
  /** The native save dialog offering a file name, or a path beside the open file; the chosen path or null. */
  chooseSavePath(offered: string, kind: SaveKind): Promise<string | null>
  documentState(state: DocumentState): void
  recentChanged(list: readonly RecentFile[]): void
  closeWindow(): void
}

export type SaveKind = 'project' | keyof typeof EXPORT_EXTENSIONS

type Result<K extends BridgeCall> = Awaited<ReturnType<Bridge[K]>>
export type DesktopHandlers = {
  [K in BridgeCall]: (args: readonly unknown[]) => Promise<Result<K>>
}

export interface DesktopBridge {
  readonly handlers: DesktopHandlers
  /** A path the person chose outside the page (the system's open-file, a second launch). */
  grant(path: string): string
  /** The page's unsaved mark, as it last said: main asks before closing a dirty window. */
  readonly state: { dirty: boolean }
  recentFiles(): Promise<RecentFile[]>
  clearRecent(): Promise<void>
}

const isProjectPath = (path: string): boolean =>
  (PROJECT_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase())

const failed = (err: unknown): { status: 'failed'; errors: readonly string[] } => ({
  status: 'failed',
  errors:
    err instanceof DocumentError ? err.errors : [err instanceof Error ? err.message : String(err)],
})

/** The path with the extension the file kind needs, added when the person left it off. */
export function withExtension(path: string, extension: string): string {
  return extname(path).toLowerCase() === extension ? path : `${path}${extension}`
}

export function createDesktopBridge(host: DesktopHost): DesktopBridge {
  const granted = new Set<string>()
  const recent = createRecentFiles(host.settingsDir)
  const recovery = recoveryPath(host.settingsDir)
  let recoveryBytes: Uint8Array | null = null
  let recoveryError: unknown = null
  const autosave = createAutosave({
    path: recovery,
    snapshot: () => recoveryBytes,
    onError: (err) => (recoveryError = err),
  })
  const state = { dirty: false }

  const grant = (path: string): string => {
    const full = resolve(path)
    granted.add(full)
    return full
  }
  const remember = async (path: string): Promise<void> => {
    host.recentChanged(await recent.add(path))
  }

  async function openPath(path: string): Promise<OpenOutcome> {
    const outcome = openOutcome(await openProject(path))
    if (outcome.status === 'opened') await remember(path)
    return outcome
  }

  /** A path from the recent list (or one chosen before): a file that is gone is said to be, and
   * its entry leaves the list (and so the Open Recent menu). */
  async function openChosen(full: string): Promise<OpenOutcome> {
    const outcome = await openPath(full)
    if (outcome.status !== 'refused') return outcome
    const entry = (await recent.list()).find((e) => e.path === full)
    if (!entry || entry.exists) return outcome
    host.recentChanged(await recent.remove(full))
    const why = `${full} is no longer there (moved or deleted), so it leaves the recent files`
    return { status: 'refused', name: basename(full), errors: [why] }
  }

  async function open(call: OpenCall): Promise<OpenOutcome> {
    switch (call.kind) {
      case 'dialog': {
        const path = await host.chooseProjectToOpen()
        return path === null ? { status: 'canceled' } : openPath(grant(path))
      }
      case 'path': {
        const full = resolve(call.path)
        if (!granted.has(full) && !(await recent.has(full))) {
          return { status: 'refused', name: basename(full), errors: [`${full} was not chosen`] }
        }
        return openChosen(full)
      }
      case 'dropped': {
        if (!isAbsolute(call.path) || !isProjectPath(call.path)) {
          const errors = [`${basename(call.path)} is not a Dendrite project (.dendrite, .json)`]
          return { status: 'refused', name: basename(call.path), errors }
        }
        return openPath(grant(call.path))
      }
      case 'bytes':
        return openBytes(call.name, call.bytes)
    }
  }

  async function target(request: SaveRequest): Promise<string | null> {
    const current = request.path === null ? null : resolve(request.path)
    // Only a .dendrite file is written over: a JSON project it was opened from stays as it was.
    if (!request.saveAs && current !== null && extname(current).toLowerCase() === '.dendrite') {
      if (granted.has(current) || (await recent.has(current))) return current
      throw new DocumentError([`${current} was not chosen; use Save As`])
    }
    const offered =
      current === null ? request.suggestedName : join(dirname(current), request.suggestedName)
    const chosen = await host.chooseSavePath(offered, 'project')
    return chosen === null ? null : grant(withExtension(chosen, '.dendrite'))
  }

  async function save(request: SaveRequest): Promise<SaveOutcome> {
    try {
      const path = await target(request)
      if (path === null) return { status: 'canceled' }
      await saveProjectBytes(path, await encodeDocument(request.document))
      await remember(path)
      await autosave.markSaved()
      recoveryBytes = null
      return { status: 'saved', name: basename(path), path }
    } catch (err) {
      return failed(err)
    }
  }

  async function exportModel(request: ExportRequest): Promise<ExportOutcome> {
    const extension = EXPORT_EXTENSIONS[request.format]
    const chosen = await host.chooseSavePath(`${request.name}${extension}`, request.format)
    if (chosen === null) return { status: 'canceled' }
    try {
      const written = await writeExportFiles(withExtension(chosen, extension), request)
      return { status: 'exported', names: written.map((p) => basename(p)) }
    } catch (err) {
      return failed(err)
    }
  }

  async function writeRecovery(document: StudioDocument | null): Promise<void> {
    if (document === null) {
      recoveryBytes = null
      await autosave.markSaved()
      return
    }
    recoveryBytes = await encodeDocument(document)
    await mkdir(host.settingsDir, { recursive: true })
    recoveryError = null
    autosave.markDirty()
    await autosave.flush()
    if (recoveryError !== null) throw recoveryError
  }

  async function readRecovery(): Promise<OpenOutcome | null> {
    const found = await findRecovery(recovery)
    if (found === null) return null
    const outcome = openOutcome(found)
    // A recovered project has no file of its own: Save asks where.
    return outcome.status === 'opened'
      ? { ...outcome, name: 'Recovered project', path: null }
      : outcome
  }

  const handlers: DesktopHandlers = {
    appInfo: (args) => {
      checkArity('appInfo', args, 0)
      return Promise.resolve(host.appInfo())
    },
    openProject: (args) => {
      checkArity('openProject', args, 1)
      return open(orThrow(checkOpenCall(args[0])))
    },
    saveProject: (args) => {
      checkArity('saveProject', args, 1)
      return save(orThrow(checkSaveRequest(args[0])))
    },
    exportModel: (args) => {
      checkArity('exportModel', args, 1)
      return exportModel(orThrow(checkExportRequest(args[0])))
    },
    recentFiles: async (args) => {
      checkArity('recentFiles', args, 0)
      return recent.list()
    },
    setDocumentState: (args) => {
      checkArity('setDocumentState', args, 1)
      const next = orThrow(checkDocumentState(args[0]))
      state.dirty = next.dirty
      host.documentState(next)
      return Promise.resolve()
    },
    writeRecovery: (args) => {
      checkArity('writeRecovery', args, 1)
      return writeRecovery(orThrow(checkRecovery(args[0])))
    },
    readRecovery: (args) => {
      checkArity('readRecovery', args, 0)
      return readRecovery()
    },
    closeWindow: (args) => {
      checkArity('closeWindow', args, 0)
      host.closeWindow()
      return Promise.resolve()
    },
  }
  return {
    handlers,
    grant,
    state,
    recentFiles: () => recent.list(),
    clearRecent: async () => {
      await recent.clear()
      host.recentChanged([])
    },
  }
}
