// The open project as a file: where it lives, whether it has unsaved changes, and New, Open,
// Save, Save As, Export and Close through the platform's Bridge (native dialogs on the desktop,
// uploads and downloads in browser mode). Opening another project (a file, a sample) or closing
// one with unsaved changes asks first; a refused file is reported and what was open stays.
import { defineStore } from 'pinia'
import { computed, inject, ref, shallowRef, watch } from 'vue'
import type {
  Bridge,
  ExportFormat,
  OpenFrom,
  OpenedDocument,
  RecentFile,
  StudioDocument,
  StudioWeights,
} from '../../electron/bridge'
import type { DataSpec } from '../../engine/data/spec'
import { defaultSpec } from '../../engine/data/spec'
import type { ModelGraph } from '../../engine/graph/model-graph'
import type { TrainSettings } from '../../engine/train/settings'
import { trainSettings } from '../../engine/train/settings'
import { platformKey } from '../host'
import { starterGraph } from '../project/starter-graph'
import { useProjectStore } from '../stores/project'
import { useSelectionStore } from '../stores/selection'
import { useTrainingStore } from '../stores/training'
import { fileStem, fromFileRuns, projectFileName, toFileRun } from './document'
import { usePrompts } from './prompts'
import { initialWeights, restoreWeights, trainedWeights } from './studio-weights'

const EXPORT_NAMES: Readonly<Record<ExportFormat, string>> = {
  safetensors: 'safetensors weights',
  onnx: 'ONNX model',
  pytorch: 'PyTorch module',
}

/** The document carries the CSV once: trained weights on the same CSV need not repeat it. */
function withoutCsv(weights: StudioWeights, csv: string): StudioWeights {
  if (weights.kind !== 'trained' || weights.csv !== csv) return weights
  const { kind, graph, tensors, data } = weights
  return { kind, graph, tensors, data }
}

/** What opening a sample takes: a graph and lesson, and the data and settings it trains with. */
export interface SampleDocument {
  readonly name: string
  readonly lesson: string | null
  readonly graph: ModelGraph
  readonly data?: DataSpec
  readonly settings?: TrainSettings
}

export const useProjectFiles = defineStore('project-files', () => {
  const platform = inject(platformKey, null)
  const project = useProjectStore()
  const training = useTrainingStore()
  const selection = useSelectionStore()
  const prompts = usePrompts()

  /** The file the project came from or was saved to (desktop), and its name (both hosts). */
  const path = ref<string | null>(null)
  const fileName = ref<string | null>(null)
  const busy = ref<string | null>(null)
  /** The last trained weights the studio holds apart from the engine: the file's, the last save's. */
  const kept = shallowRef<StudioWeights | null>(null)
  const recent = shallowRef<readonly RecentFile[]>([])

  /** What a save captures, by identity: every store replaces these values when they change. */
  const fingerprint = (): readonly unknown[] => [
    project.graph,
    training.settings,
    training.data,
    training.csv,
    training.runs,
    training.seriesVersion,
  ]
  const baseline = shallowRef<readonly unknown[]>(fingerprint())
  const dirty = computed(() => {
    const now = fingerprint()
    return now.length !== baseline.value.length || now.some((v, i) => v !== baseline.value[i])
  })
  const displayName = computed(() => fileName.value ?? project.name)
  /** A new value at every change a save would capture (autosave counts its minutes from it). */
  const changes = computed(fingerprint)

  function bridge(): Bridge {
    if (!platform) throw new Error('the studio has no platform (files are unavailable)')
    return platform.bridge
  }

  function markSaved(at: readonly unknown[] = fingerprint()): void {
    baseline.value = at
    if (at[0] === project.graph) project.dirty = false
  }

  // A project opened elsewhere (a sample, the start screen) is a new document without a file.
  let ownOpen = -1
  watch(
    () => project.opened,
    (opened) => {
      if (opened === ownOpen) return
      path.value = null
      fileName.value = null
      kept.value = null
      markSaved()
    },
  )

  /** True when the project may be replaced: no unsaved changes, or the person said so. */
  async function mayReplace(doing: string): Promise<boolean> {
    if (!dirty.value) return true
    const answer = await prompts.ask(displayName.value, doing)
    if (answer === 'cancel') return false
    return answer === 'discard' || (await save())
  }

  /** A file in an older format (a JSON project) is not written over: Save makes a .dendrite. */
  function tellOlderFormat(where: { name: string | null; migratedFrom?: number }): void {
    if (where.migratedFrom === undefined || where.name === null) return
    const to = projectFileName(fileStem(where.name))
    const text = `${where.name} is in an older format: Save leaves it as it is and writes ${to}.`
    prompts.notify('info', text)
  }

  /** What project.open takes of a document: its name (else its file's), lesson and view. */
  function openedAs(p: OpenedDocument['project'], file: string | null) {
    const name = p.name ?? (file === null ? 'Untitled' : fileStem(file))
    return { name, lesson: p.lesson ?? null, view: p.view ?? null }
  }

  /** Puts an opened document in the stores; `unsaved` keeps it marked (a recovered project). */
  async function apply(
    document: OpenedDocument,
    where: { name: string | null; path: string | null; migratedFrom?: number },
    unsaved = false,
  ): Promise<void> {
    const p = document.project
    ownOpen = project.opened + 1
    project.open(p.graph, openedAs(p, where.name))
    selection.select(null)
    training.restoreRuns(fromFileRuns(p.runs ?? [], p))
    const csv = document.csv === undefined ? {} : { csv: document.csv }
    const loading = training.applyProject({ data: p.data, settings: p.training, ...csv })
    path.value = where.path
    fileName.value = where.name
    kept.value = document.weights ?? null
    tellOlderFormat(where)
    if (unsaved) baseline.value = []
    else markSaved()
    const weights = document.weights
    if (!(await loading) || !weights) return
    const why = await restoreWeights(weights.tensors)
    if (why !== null) {
      prompts.notify(
        'warning',
        `The saved weights were not loaded: ${why} They stay in the project.`,
      )
    }
  }

  async function run<T>(label: string, task: () => Promise<T>): Promise<T | null> {
    if (busy.value !== null) return null
    busy.value = label
    try {
      return await task()
    } catch (err) {
      prompts.tell(`${label} failed`, [err instanceof Error ? err.message : String(err)])
      return null
    } finally {
      busy.value = null
    }
  }

  async function open(from: OpenFrom = { kind: 'dialog' }): Promise<void> {
    if (busy.value !== null || !(await mayReplace('opening another project'))) return
    await run('Open', async () => {
      const outcome = await bridge().openProject(from)
      if (outcome.status === 'canceled') return
      if (outcome.status === 'refused') {
        prompts.tell(`${outcome.name} cannot be opened`, outcome.errors)
        return
      }
      await apply(outcome.document, outcome)
      await bridge().writeRecovery(null)
      await refreshRecent()
    })
  }

  /** The project as a save writes it, with the weights it should keep. */
  async function snapshot(): Promise<StudioDocument> {
    const csv = training.data.kind === 'csv' && training.csv ? training.csv.text : undefined
    const fresh = await trainedWeights()
    if (fresh) kept.value = fresh
    const weights = kept.value
    const lean = weights && csv !== undefined ? withoutCsv(weights, csv) : weights
    return {
      project: {
        name: project.name,
        ...(project.lesson === null ? {} : { lesson: project.lesson }),
        graph: project.graph,
        data: training.data,
        training: training.settings,
        runs: training.runs.map(toFileRun),
        ...(project.view === null ? {} : { view: project.view }),
      },
      ...(csv === undefined ? {} : { csv }),
      ...(lean ? { weights: lean } : {}),
    }
  }

  async function saveWith(saveAs: boolean): Promise<boolean> {
    const done = await run(saveAs ? 'Save As' : 'Save', async () => {
      const at = fingerprint()
      const outcome = await bridge().saveProject({
        document: await snapshot(),
        path: path.value,
        saveAs,
        suggestedName: projectFileName(
          fileName.value === null ? project.name : fileStem(fileName.value),
        ),
      })
      if (outcome.status === 'failed') {
        prompts.tell(`${displayName.value} was not saved`, outcome.errors)
        return false
      }
      if (outcome.status === 'canceled') return false
      path.value = outcome.path
      fileName.value = outcome.name
      markSaved(at)
      await bridge().writeRecovery(null)
      await refreshRecent()
      return true
    })
    return done === true
  }

  const save = (): Promise<boolean> => saveWith(false)
  const saveAs = (): Promise<boolean> => saveWith(true)

  /** The weights an export takes: trained ones, the kept ones, or the session's fresh ones. */
  async function exportWeights(): Promise<StudioWeights | null> {
    return (await trainedWeights()) ?? kept.value ?? (await trainedWeights({ any: true }))
  }

  async function exportAs(format: ExportFormat): Promise<void> {
    await run('Export', async () => {
      const held = await exportWeights()
      if (held?.kind === 'trained') kept.value = held
      // No session holds weights (a graph with no loss yet): the untrained model's, as Keras
      // and PyTorch save a model straight after it is built.
      const made = held ? { ok: true as const, weights: held } : await initialWeights()
      if (!made.ok) {
        prompts.tell('Nothing to export', made.lines)
        return
      }
      const weights = made.weights
      const outcome = await bridge().exportModel({ format, name: project.name, weights })
      if (outcome.status === 'failed') {
        prompts.tell(`The ${EXPORT_NAMES[format]} was not exported`, outcome.errors)
      }
    })
  }

  /**
   * Replaces the project with a document that has no file (a new project, a sample), asking
   * first about unsaved changes as every way of replacing the project does. False when it stays.
   */
  async function replaceWith(document: OpenedDocument, doing: string): Promise<boolean> {
    if (busy.value !== null || !(await mayReplace(doing))) return false
    await apply(document, { name: null, path: null })
    await bridge().writeRecovery(null)
    return true
  }

  /** A new project: the starter graph, the default data and settings, no runs, no file. */
  function newProject(doing = 'starting a new project'): Promise<boolean> {
    const fresh = {
      name: 'Untitled',
      graph: starterGraph(),
      data: defaultSpec('circle'),
      training: trainSettings(),
      runs: [],
    }
    return replaceWith({ project: fresh }, doing)
  }

  /**
   * Opens a sample or a plain beginning (the start screen, the welcome strip, the Data panel):
   * its graph and lesson, with its data and settings where it brings them (the current ones
   * where not), and no runs. False when the person kept the open project.
   */
  function openSample(
    sample: SampleDocument,
    doing = `opening “${sample.name}”`,
  ): Promise<boolean> {
    const opened = {
      name: sample.name,
      ...(sample.lesson === null ? {} : { lesson: sample.lesson }),
      graph: structuredClone(sample.graph),
      data: sample.data ?? training.data,
      training: sample.settings ?? training.settings,
      runs: [],
    }
    return replaceWith({ project: opened }, doing)
  }

  const close = (): Promise<boolean> => newProject('closing it')

  async function refreshRecent(): Promise<void> {
    if (platform?.bridge.platform !== 'desktop') return
    recent.value = await bridge().recentFiles()
  }

  return {
    /** Recent files and native dialogs exist (the desktop app). */
    desktop: computed(() => platform?.bridge.platform === 'desktop'),
    path,
    fileName,
    displayName,
    dirty,
    changes,
    busy,
    kept,
    recent,
    ...prompts,
    open,
    apply,
    save,
    saveAs,
    exportAs,
    newProject,
    openSample,
    close,
    snapshot,
    refreshRecent,
    mayReplace,
  }
})
