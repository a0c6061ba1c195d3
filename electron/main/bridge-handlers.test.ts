// The desktop Bridge's handlers without Electron: fake dialogs, a temporary settings folder.
// Every call checks its arguments; files are reached only through paths the person chose.
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DocumentState, OpenOutcome, RecentFile, StudioDocument } from '../bridge'
import { readProjectFile, writeProjectFile } from '../../engine/io/project-file'
import { readSafetensors } from '../../engine/io/safetensors'
import { BridgeArgumentError } from '../services/bridge-args'
import { csvProject } from '../services/test/fixtures'
import { createDesktopBridge } from './bridge-handlers'
import type { DesktopHost } from './bridge-handlers'

function setup(answers: { open?: string | null; save?: string | null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dendrite-bridge-'))
  const seen = { states: [] as DocumentState[], recent: [] as (readonly RecentFile[])[], closed: 0 }
  const host: DesktopHost = {
    settingsDir: join(dir, 'settings'),
    appInfo: () => ({ name: 'Dendrite', version: '0.1.0', platform: 'desktop', os: 'linux' }),
    chooseProjectToOpen: () => Promise.resolve(answers.open ?? null),
    chooseSavePath: () => Promise.resolve(answers.save ?? null),
    documentState: (s) => seen.states.push(s),
    recentChanged: (list) => seen.recent.push(list),
    closeWindow: () => seen.closed++,
  }
  return { dir, seen, bridge: createDesktopBridge(host) }
}

/** The fixture project as the studio sends it: weights kept as the file had them. */
function studioDocument(): StudioDocument {
  const file = csvProject()
  const w = file.weights
  return {
    project: file.project,
    ...(file.csv === undefined ? {} : { csv: file.csv }),
    ...(w ? { weights: { kind: 'kept', tensors: w.tensors, metadata: w.metadata } } : {}),
  }
}

function projectOnDisk(dir: string, name = 'p.dendrite'): string {
  const path = join(dir, name)
  writeFileSync(path, writeProjectFile(csvProject()))
  return path
}

const opened = (o: OpenOutcome) => {
  if (o.status !== 'opened') throw new Error(JSON.stringify(o))
  return o
}

describe('desktop bridge: arguments', () => {
  it('refuses wrong arity and malformed arguments, naming where', async () => {
    const { bridge } = setup()
    const h = bridge.handlers
    expect(() => h.appInfo(['x'])).toThrow(BridgeArgumentError)
    expect(() => h.openProject([])).toThrow(/expected 1 argument/)
    expect(() => h.openProject([{ kind: 'path', path: 42 }])).toThrow(/open\.path/)
    expect(() => h.openProject([{ kind: 'shell', command: 'rm' }])).toThrow(/open\.kind/)
    expect(() => h.setDocumentState([{ name: 'x', path: null, dirty: 'yes' }])).toThrow(/dirty/)
    const bad = { ...studioDocument(), project: { ...csvProject().project, graph: { nodes: 3 } } }
    const save = { document: bad, path: null, saveAs: true, suggestedName: 'p.dendrite' }
    expect(() => h.saveProject([save])).toThrow(/save\.document\.project\.graph/)
    const shape = { 'dense1.weight': { shape: [2, 4], data: new Float32Array(3) } }
    const weights = { kind: 'kept', tensors: shape, metadata: {} }
    expect(() => h.exportModel([{ format: 'onnx', name: 'm', weights }])).toThrow(
      /export\.weights\.tensors\.dense1\.weight\.data: shape \[2, 4\] takes 8 values, got 3/,
    )
    expect(() => h.exportModel([{ format: 'exe', name: 'm', weights }])).toThrow(/format/)
    expect(await h.appInfo([])).toMatchObject({ platform: 'desktop' })
  })
})

describe('desktop bridge: files the person chose', () => {
  it('opens through the dialog, then by path from the recent list', async () => {
    const { dir, seen, bridge } = setup()
    const path = projectOnDisk(dir)
    const { bridge: withDialog } = { bridge: createDesktopBridge(hostOpening(dir, path)) }
    const first = opened(await withDialog.handlers.openProject([{ kind: 'dialog' }]))
    expect(first.document.project.name).toBe('CSV sample')
    expect(first.document.csv).toBe(csvProject().csv)
    expect(first.document.weights?.kind).toBe('kept')
    // A path nobody chose is refused; after the dialog it is on the recent list.
    const other = projectOnDisk(dir, 'other.dendrite')
    const refused = await bridge.handlers.openProject([{ kind: 'path', path: other }])
    expect(refused).toMatchObject({
      status: 'refused',
      errors: [expect.stringMatching(/not chosen/)],
    })
    expect(opened(await bridge.handlers.openProject([{ kind: 'path', path }])).path).toBe(path)
    expect(seen.recent.at(-1)).toEqual([{ path, exists: true }])
  })

  it('opening a recent file that is gone says so and takes it off the list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-bridge-'))
    const path = projectOnDisk(dir)
    const lists: (readonly RecentFile[])[] = []
    const host = {
      ...hostOpening(dir, path),
      recentChanged: (l: readonly RecentFile[]) => lists.push(l),
    }
    const bridge = createDesktopBridge(host)
    opened(await bridge.handlers.openProject([{ kind: 'dialog' }]))
    renameSync(path, join(dir, 'moved.dendrite'))
    expect(await bridge.recentFiles()).toEqual([{ path, exists: false }])

    const gone = await bridge.handlers.openProject([{ kind: 'path', path }])
    expect(gone).toMatchObject({
      status: 'refused',
      errors: [expect.stringMatching(/no longer there \(moved or deleted\)/)],
    })
    expect(await bridge.recentFiles()).toEqual([])
    // The host rebuilds the Open Recent menu from the list it is given.
    expect(lists.at(-1)).toEqual([])
  })

  it('takes a dropped project file by path, and nothing else', async () => {
    const { dir, bridge } = setup()
    const path = projectOnDisk(dir)
    expect(opened(await bridge.handlers.openProject([{ kind: 'dropped', path }])).name).toBe(
      'p.dendrite',
    )
    const secret = join(dir, 'secret.txt')
    writeFileSync(secret, 'x')
    const refused = await bridge.handlers.openProject([{ kind: 'dropped', path: secret }])
    expect(refused).toMatchObject({ status: 'refused' })
    const relative = await bridge.handlers.openProject([{ kind: 'dropped', path: 'p.dendrite' }])
    expect(relative).toMatchObject({ status: 'refused' })
  })

  it('opens bytes, refusing a corrupt file with where it is wrong', async () => {
    const { bridge } = setup()
    const bytes = writeProjectFile(csvProject())
    const ok = await bridge.handlers.openProject([{ kind: 'bytes', name: 'a.dendrite', bytes }])
    expect(opened(ok).path).toBeNull()
    const broken = bytes.slice(0, 200)
    const refused = await bridge.handlers.openProject([
      { kind: 'bytes', name: 'b.dendrite', bytes: broken },
    ])
    expect(refused).toMatchObject({ status: 'refused', name: 'b.dendrite' })
    expect(refused.status === 'refused' && refused.errors[0]).toMatch(/^zip: byte \d+/)
  })

  it('saves as through the dialog (adding .dendrite), then over the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-save-'))
    const { seen, bridge } = setup({ save: join(dir, 'mine') })
    const document = studioDocument()
    const request = { document, path: null, saveAs: false, suggestedName: 'CSV sample.dendrite' }
    const saved = await bridge.handlers.saveProject([request])
    expect(saved).toEqual({
      status: 'saved',
      name: 'mine.dendrite',
      path: join(dir, 'mine.dendrite'),
    })
    const again = await bridge.handlers.saveProject([
      { ...request, path: join(dir, 'mine.dendrite') },
    ])
    expect(again.status).toBe('saved')
    expect(readFileSync(`${join(dir, 'mine.dendrite')}.bak`).length).toBeGreaterThan(0)
    const read = readProjectFile(readFileSync(join(dir, 'mine.dendrite')))
    expect(read.ok && read.file.project).toEqual(csvProject().project)
    expect(seen.recent.at(-1)?.[0]?.path).toBe(join(dir, 'mine.dendrite'))
    // Over a file nobody chose: refused.
    const elsewhere = { ...request, path: join(dir, 'elsewhere.dendrite') }
    expect(await bridge.handlers.saveProject([elsewhere])).toMatchObject({ status: 'failed' })
  })

  it('never writes over the JSON project it opened: Save asks, offering a file beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-json-'))
    const json = join(dir, 'my-net.json')
    const text = readFileSync(join(import.meta.dirname, '../../assets/examples/xor.json'), 'utf8')
    writeFileSync(json, text)
    const offers: string[] = []
    const host: DesktopHost = {
      ...hostOpening(dir, json),
      chooseSavePath: (offered) => {
        offers.push(offered)
        return Promise.resolve(join(dir, 'chosen'))
      },
    }
    const h = createDesktopBridge(host).handlers
    const o = opened(await h.openProject([{ kind: 'dialog' }]))
    expect(o).toMatchObject({ path: json, migratedFrom: 0 })
    const request = {
      document: o.document,
      path: o.path,
      saveAs: false,
      suggestedName: 'my-net.dendrite',
    }
    expect(await h.saveProject([request])).toMatchObject({
      status: 'saved',
      path: join(dir, 'chosen.dendrite'),
    })
    expect(offers).toEqual([join(dir, 'my-net.dendrite')])
    expect(readFileSync(json, 'utf8')).toBe(text)
    expect(readProjectFile(readFileSync(join(dir, 'chosen.dendrite'))).ok).toBe(true)
  })

  it('describes trained weights with their graph; a canceled dialog writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-trained-'))
    const { bridge } = setup({ save: join(dir, 't.dendrite') })
    const file = csvProject()
    const tensors = file.weights?.tensors ?? {}
    const document: StudioDocument = {
      project: file.project,
      csv: file.csv ?? '',
      weights: { kind: 'trained', graph: file.project.graph, tensors, data: file.project.data },
    }
    const request = { document, path: null, saveAs: true, suggestedName: 't.dendrite' }
    expect((await bridge.handlers.saveProject([request])).status).toBe('saved')
    const read = readProjectFile(readFileSync(join(dir, 't.dendrite')))
    expect(read.ok && read.file.weights?.metadata['dendrite.graph']).toBe(
      JSON.stringify(file.project.graph),
    )
    const { bridge: canceling } = setup({ save: null })
    expect(await canceling.handlers.saveProject([request])).toEqual({ status: 'canceled' })
  })

  it('exports ONNX and PyTorch (with its weights beside it) where the dialog says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-export-'))
    const { bridge } = setup({ save: join(dir, 'model') })
    const weights = studioDocument().weights
    if (!weights) throw new Error('the fixture has weights')
    const onnx = await bridge.handlers.exportModel([{ format: 'onnx', name: 'm', weights }])
    expect(onnx).toEqual({ status: 'exported', names: ['model.onnx'] })
    const py = await bridge.handlers.exportModel([{ format: 'pytorch', name: 'm', weights }])
    expect(py).toEqual({ status: 'exported', names: ['model.py', 'model.safetensors'] })
    const st = readSafetensors(readFileSync(join(dir, 'model.safetensors')))
    expect(st.ok && Object.keys(st.file.tensors).sort()).toEqual(
      Object.keys(weights.tensors).sort(),
    )
  })
})

describe('desktop bridge: recovery and the window', () => {
  it('keeps a recovery file, offers it back, and removes it on save', async () => {
    const { dir, bridge } = setup({ save: join(mkdtempSync(join(tmpdir(), 'rec-')), 'r') })
    expect(await bridge.handlers.readRecovery([])).toBeNull()
    await bridge.handlers.writeRecovery([studioDocument()])
    const found = opened((await bridge.handlers.readRecovery([])) ?? { status: 'canceled' })
    expect(found).toMatchObject({ name: 'Recovered project', path: null })
    expect(found.document.project.name).toBe('CSV sample')
    await bridge.handlers.saveProject([
      { document: studioDocument(), path: null, saveAs: true, suggestedName: 'r.dendrite' },
    ])
    expect(await bridge.handlers.readRecovery([])).toBeNull()
    await bridge.handlers.writeRecovery([studioDocument()])
    await bridge.handlers.writeRecovery([null])
    expect(await bridge.handlers.readRecovery([])).toBeNull()
    expect(dir).toBeTruthy()
  })

  it('remembers the unsaved mark for the close prompt, and closes when asked', async () => {
    const { seen, bridge } = setup()
    await bridge.handlers.setDocumentState([{ name: 'p.dendrite', path: null, dirty: true }])
    expect(bridge.state.dirty).toBe(true)
    expect(seen.states).toEqual([{ name: 'p.dendrite', path: null, dirty: true }])
    await bridge.handlers.closeWindow([])
    expect(seen.closed).toBe(1)
  })
})

function hostOpening(dir: string, path: string): DesktopHost {
  return {
    settingsDir: join(dir, 'settings'),
    appInfo: () => ({ name: 'Dendrite', version: '0', platform: 'desktop', os: 'linux' }),
    chooseProjectToOpen: () => Promise.resolve(path),
    chooseSavePath: () => Promise.resolve(null),
    documentState: () => undefined,
    recentChanged: () => undefined,
    closeWindow: () => undefined,
  }
}
