// `dendrite`: train, check or export a project headless, for tests, benchmarks and people who
// like a terminal. Projects are .dendrite files or JSON documents. Exit codes: 0 done, 1 the
// project, data or export is invalid, an output cannot be written or the GPU cannot train the
// model (none, a device refused, over its limits), 2 usage (a flag's value, or an output path
// whose folder is missing or takes no new files, or which is a folder), 3 training diverged. On
// WebGPU, a lost device is replaced once (gpu-recovery.ts), and the run goes on on the CPU after
// a second loss.
import { open, rm, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { setCpuThreads } from '../backends/cpu'
import { nodeCpuThreads } from '../backends/cpu/threads-node'
import type { Dataset } from '../data/dataset'
import { inspectGraph } from '../graph/inspect'
import type { ModelGraph } from '../graph/model-graph'
import { FileWriteError, reasonOf, tempName, writeFileAtomic } from '../io/atomic-file-node'
import { ExportError } from '../io/export-graph'
import type { ExportSource } from '../io/export-files-node'
import { exportFiles, writeExport } from '../io/export-files-node'
import { loadDataset, readCsvText } from '../io/load-data-node'
import { readProjectPath } from '../io/open-project-node'
import type { ProjectFile } from '../io/project-file'
import {
  projectWeights,
  weightsGraph,
  weightsNormalization,
  writeProjectFile,
} from '../io/project-file'
import { dataIssueText } from '../io/project-file-entries'
import type { Project } from '../io/project-json'
import type { CurvePoint } from '../io/run-history'
import { storedMetrics } from '../io/run-history'
import { LoweringError } from '../lower/lower-graph'
import { checkDataFits, withDataShape } from '../train/data-fit'
import { planModel } from '../train/model'
import type { LoopEnd, Progress } from '../train/loop'
import { trainLoop } from '../train/loop'
import type { Metrics } from '../train/metrics'
import type { Session } from '../train/session'
import { createSession } from '../train/session'
import type { GpuSession } from '../train/gpu-session'
import { createGpuSession } from '../train/gpu-session'
import { DeviceLostError } from '../train/gpu-recovery'
import { DeviceLimitError } from '../backends/webgpu/buffers'
import { nodeWebGpu } from '../backends/webgpu/dawn-node'
import { fileMemory, tuningFile } from '../backends/webgpu/tune-memory-node'
import type { TrainSettings } from '../train/settings'
import { TrainSettingsSchema } from '../train/settings'
import { parseCliArgs, USAGE } from './cli-args'
import type { CliArgs } from './cli-args'

class CliFailure extends Error {
  constructor(
    readonly lines: readonly string[],
    readonly code: number,
  ) {
    super(lines.join('\n'))
  }
}

async function main(argv: readonly string[]): Promise<number> {
  // Large matmuls may use a second core; small nets stay on one.
  setCpuThreads(nodeCpuThreads)
  const args = parseCliArgs(argv)
  if ('error' in args) {
    console.error(`${args.error}\n\n${USAGE}`)
    return 2
  }
  if (args.command === 'help') {
    console.log(USAGE)
    return 0
  }
  try {
    await checkOutputs(args)
    const opened = await readProject(args.project)
    if (args.command === 'export' && opened.weights) return await exportSaved(opened, args)
    const settings = runSettings(opened.project, args)
    const dataset = await makeData(opened, args.project)
    const graph = checkGraph(withDataShape(opened.project.graph, dataset))
    if (args.command === 'check') {
      // What train would refuse (no loss, no input, data that does not fit), check refuses too.
      await trainable(() => checkDataFits(graph, planModel(graph, settings).lowered, dataset))
      console.log(`${args.project}: the graph is valid and fits "${dataset.name}".`)
      return 0
    }
    if (args.command === 'export') {
      console.log(`${args.project} holds no trained weights: training it first.`)
    }
    const run = await train(opened.project, graph, dataset, settings, args)
    await writeOutputs(opened, graph, run, args)
    return 0
  } catch (err) {
    if (!(err instanceof CliFailure)) throw err
    for (const line of err.lines) console.error(line)
    return err.code
  }
}

/** Every file the run will write can be written where it is named, before anything is trained. */
async function checkOutputs(args: CliArgs): Promise<void> {
  const label = args.command === 'export' ? 'export' : '--export'
  const outputs = [
    ...args.exports.flatMap((path) =>
      exportFiles(path).map((file) => ({ flag: label, path, file })),
    ),
    ...(args.save === undefined ? [] : [{ flag: '--save', path: args.save, file: args.save }]),
  ]
  for (const { flag, path, file } of outputs) {
    const problem = await outputProblem(resolve(file))
    if (problem) throw new CliFailure([`${flag} ${path}: ${problem}`], 2)
  }
}

/** Why a file cannot be written at `path` (its folder is missing, it is a folder), or null. */
async function outputProblem(path: string): Promise<string | null> {
  const folder = dirname(path)
  const kind = async (p: string) => (await stat(p).catch(() => null))?.isDirectory()
  const folderKind = await kind(folder)
  if (folderKind === undefined) return `the folder ${folder} does not exist`
  if (!folderKind) return `${folder} is not a folder`
  if (await kind(path)) return `${path} is a folder`
  // Asked of the disk now, not after the training: a file made and removed where it will go.
  const probe = tempName(path)
  try {
    await (await open(probe, 'wx')).close()
    await rm(probe, { force: true })
  } catch (err) {
    return `the folder ${folder} takes no new files (${reasonOf(err)})`
  }
  return null
}

/** The project with its CSV text (from the .dendrite file, or read from beside a JSON one). */
async function readProject(path: string): Promise<ProjectFile> {
  const opened = await readProjectPath(path)
  if (!opened.ok)
    throw new CliFailure([`${path} is not a valid project:`, ...indent(opened.errors)], 1)
  const data = opened.file.project.data
  if (data.kind !== 'csv' || opened.file.csv !== undefined) return opened.file
  const read = await readCsvText(resolve(dirname(path), data.name))
  if (!read.ok) throw new CliFailure([`the data set cannot be made:`, `  ${read.error}`], 1)
  return { ...opened.file, csv: read.text }
}

async function makeData(file: ProjectFile, path: string): Promise<Dataset> {
  const result = await loadDataset(file.project.data, path, file.csv)
  if (result.ok) return result.dataset
  throw new CliFailure(
    [`the data set cannot be made:`, ...indent(result.errors.map(dataIssueText))],
    1,
  )
}

function checkGraph(graph: ModelGraph): ModelGraph {
  const problems = inspectGraph(graph).problems
  const lines = problems.map(
    (p) => `${p.severity}${p.node ? ` in node "${p.node}"` : ''}: ${p.message} [${p.code}]`,
  )
  if (problems.some((p) => p.severity === 'error')) {
    throw new CliFailure(['the graph has problems:', ...indent(lines)], 1)
  }
  for (const line of lines) console.log(line)
  return graph
}

/** `make`'s result, or the reason the graph cannot be lowered to train on this data (exit 1). */
async function trainable<T>(make: () => T | Promise<T>): Promise<T> {
  try {
    return await make()
  } catch (err) {
    if (!(err instanceof LoweringError)) throw err
    throw new CliFailure(['the graph cannot train on this data:', ...indent([err.message])], 1)
  }
}

interface Run {
  session: Session | GpuSession
  settings: TrainSettings
  curve: CurvePoint[]
  startedAt: string
}

/**
 * The project's settings with --epochs and --seed applied, checked by the schema a project file
 * is checked by, so that a run that trains is a run that saves.
 */
function runSettings(project: Project, args: CliArgs): TrainSettings {
  const merged = TrainSettingsSchema.safeParse({
    ...project.training,
    ...(args.epochs === undefined ? {} : { epochs: args.epochs }),
    ...(args.seed === undefined ? {} : { seed: args.seed }),
  })
  if (merged.success) return merged.data
  const lines = merged.error.issues.map(
    (i) => `invalid training setting ${i.path.join('.')}: ${i.message}`,
  )
  throw new CliFailure(lines, 2)
}

async function train(
  project: Project,
  graph: ModelGraph,
  data: Dataset,
  settings: TrainSettings,
  args: CliArgs,
) {
  const { session, where } = await trainable(async () => {
    if (args.backend !== 'webgpu')
      return { session: createSession(graph, data, settings), where: 'cpu' }
    const gpu = await gpuSession(graph, data, settings, args)
    return { session: gpu.session, where: `webgpu: ${gpu.adapter}` }
  })
  const s = session.summary
  console.log(
    `${project.name ?? args.project}: ${s.parameters} parameters, ` +
      `${s.flopsPerStep} FLOPs per step, ${settings.epochs} epochs of ${session.stepsPerEpoch} ` +
      `steps on "${data.name}" (${where})`,
  )
  const run: Run = { session, settings, curve: [], startedAt: new Date().toISOString() }
  const started = performance.now()
  const end = await trainToEnd(run, args)
  if (end.reason === 'diverged') throw new CliFailure([end.divergence.message], 3)
  const seconds = (performance.now() - started) / 1000
  const [trainMetrics, testMetrics] = [
    await run.session.evaluate('train'),
    await run.session.evaluate('test'),
  ]
  console.log(
    `done in ${seconds.toFixed(1)} s: train ${metricsText(trainMetrics)}; ` +
      `test ${metricsText(testMetrics)}`,
  )
  return run
}

/**
 * A WebGPU session through Dawn, a new device from a fresh adapter after a lost one. A device
 * refused or a model over the device's limits is one line and exit 1.
 */
async function gpuSession(
  graph: ModelGraph,
  data: Dataset,
  settings: TrainSettings,
  args: CliArgs,
): Promise<{ session: GpuSession; adapter: string }> {
  const gpu = await nodeWebGpu()
  if ('reason' in gpu) throw new CliFailure([`--backend webgpu: ${gpu.reason}`], 1)
  // A first run of a large model times its products on the GPU for seconds: say so.
  const progress = (done: number, total: number): void => {
    if (!args.quiet && done < total) {
      console.log(`timing matrix kernels on this GPU: product ${done + 1} of ${total}`)
    }
  }
  try {
    const session = await createGpuSession(graph, data, settings, gpu.device, {
      newDevice: gpu.again,
      tuning: { memory: fileMemory(tuningFile()), progress },
    })
    return { session, adapter: gpu.adapter }
  } catch (err) {
    if (!(err instanceof DeviceLimitError)) throw err
    const problem = err.message.replace(/^webgpu: /, '')
    throw new CliFailure([`--backend webgpu: the model does not fit this GPU: ${problem}`], 1)
  }
}

/**
 * The training loop to its end, printing progress and the backend's notices (a recovered GPU
 * device); after a second lost device, on the CPU from the GPU session's last checkpoint, as
 * the studio's host does.
 */
async function trainToEnd(run: Run, args: CliArgs): Promise<LoopEnd> {
  for (;;) {
    const session = run.session
    try {
      return await trainLoop(session, {
        control: { stop: false },
        reportEveryMs: 1000,
        report: (p) => {
          run.curve.push(curvePoint(p))
          if (p.notice !== undefined) console.log(p.notice)
          if (!args.quiet) console.log(progressLine(p))
        },
      })
    } catch (err) {
      if (!(err instanceof DeviceLostError) || !('backend' in session)) throw err
      run.session = toCpu(session, err, run)
    }
  }
}

/** The GPU session's model on the CPU, from the checkpoint a second lost device left. */
function toCpu(gpu: GpuSession, err: DeviceLostError, run: Run): Session {
  const at = err.checkpoint.step
  const cpu = createSession(gpu.graph, gpu.dataset, gpu.settings)
  cpu.restore(err.checkpoint)
  gpu.dispose()
  // The steps after the checkpoint are trained again: their points are drawn again too.
  run.curve = run.curve.filter((p) => p.step <= at)
  console.log(`${err.message} Training continues on the CPU from the checkpoint at step ${at}.`)
  return cpu
}

function curvePoint(p: Progress): CurvePoint {
  const test = p.test ? { test: storedMetrics(p.test) } : {}
  return { step: p.step, train: storedMetrics(p.train), ...test }
}

/** train --export / --save, and export of a project that had to be trained first. */
async function writeOutputs(file: ProjectFile, graph: ModelGraph, run: Run, args: CliArgs) {
  const weights = await run.session.weights()
  const normalization = run.session.dataset.normalization
  for (const path of args.exports) {
    await exportTo(path, { graph, weights, name: file.project.name, normalization })
  }
  if (args.save === undefined) return
  const runs = file.project.runs ?? []
  const classes = run.session.dataset.classNames?.length ?? 0
  // What the studio records of a run, so that its Runs panel shows this one as it was trained.
  const record = {
    id: `run-${runs.length + 1}`,
    startedAt: run.startedAt,
    settings: run.settings,
    steps: run.session.step,
    end: 'finished' as const,
    data: file.project.data,
    dataName: run.session.dataset.name,
    ...(classes > 0 ? { classes } : {}),
    parameters: run.session.summary.parameters,
    curve: run.curve,
  }
  const saved: ProjectFile = {
    ...file,
    project: { ...file.project, runs: [...runs, record] },
    weights: projectWeights(graph, weights, normalization),
  }
  // Written beside the target and renamed over it, so a failed save leaves the old file whole;
  // the old file is kept as .bak, as the studio's save keeps it.
  await writeFileAtomic(args.save, writeProjectFile(saved), { backup: true }).catch(cannotWrite)
  console.log(`saved ${args.save}`)
}

/** export of a .dendrite file that holds trained weights: no data, no training. */
async function exportSaved(file: ProjectFile, args: CliArgs): Promise<number> {
  const weights = file.weights
  const graph = weights ? weightsGraph(weights) : null
  if (!weights || !graph?.ok) throw new CliFailure([`${args.project} holds no usable weights`], 1)
  const normalization = weightsNormalization(weights)
  const source = { graph: graph.graph, weights: weights.tensors, name: file.project.name }
  for (const path of args.exports) await exportTo(path, { ...source, normalization })
  return 0
}

async function exportTo(path: string, source: ExportSource) {
  try {
    const written = await writeExport(path, source)
    console.log(`wrote ${written.join(' and ')}`)
  } catch (err) {
    if (!(err instanceof ExportError)) return cannotWrite(err)
    throw new CliFailure([`cannot export ${path}:`, ...indent(err.problems)], 1)
  }
}

/** A refusal from the disk after training: one line naming the file, not a stack trace. */
function cannotWrite(err: unknown): never {
  if (err instanceof FileWriteError) throw new CliFailure([err.message], 1)
  throw err
}

function progressLine(p: Progress): string {
  const test = p.test ? `  test ${metricsText(p.test)}` : ''
  const epochs = Math.round(p.totalSteps / p.stepsPerEpoch)
  const done = p.step / p.stepsPerEpoch
  const epoch = Number.isInteger(done) ? String(done) : done.toFixed(1)
  return (
    `epoch ${epoch}/${epochs}  step ${p.step}  train ${metricsText(p.train)}${test}  ` +
    `${Math.round(p.stepsPerSecond)} steps/s`
  )
}

export function metricsText(m: Metrics): string {
  const parts = [`loss ${m.loss.toPrecision(4)}`]
  if (m.accuracy !== undefined) parts.push(`accuracy ${(m.accuracy * 100).toFixed(1)} %`)
  if (m.rmse !== undefined) parts.push(`rmse ${m.rmse.toPrecision(4)}`)
  return parts.join(', ')
}

function indent(lines: readonly string[]): string[] {
  return lines.map((l) => `  ${l}`)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err))
    process.exitCode = 70
  },
)
