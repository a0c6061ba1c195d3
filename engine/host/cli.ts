// `dendrite`: train or check a project headless, for tests, benchmarks and people who like a
// terminal. Exit codes: 0 done, 1 the project or data is invalid, 2 usage, 3 training diverged.
import { readFile } from 'node:fs/promises'
import type { DataIssue, Dataset } from '../data/dataset'
import { inspectGraph } from '../graph/inspect'
import type { ModelGraph } from '../graph/model-graph'
import { loadDataset } from '../io/load-data-node'
import type { Project } from '../io/project-json'
import { parseProjectText } from '../io/project-json'
import { LoweringError } from '../lower/lower-graph'
import { withDataShape } from '../train/data-fit'
import type { Progress } from '../train/loop'
import { trainLoop } from '../train/loop'
import type { Metrics } from '../train/metrics'
import { createSession } from '../train/session'
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
    const project = await readProject(args.project)
    const dataset = await makeData(project, args.project)
    const graph = checkGraph(withDataShape(project.graph, dataset))
    if (args.command === 'check') {
      console.log(`${args.project}: the graph is valid and fits "${dataset.name}".`)
      return 0
    }
    return await train(project, graph, dataset, args)
  } catch (err) {
    if (!(err instanceof CliFailure)) throw err
    for (const line of err.lines) console.error(line)
    return err.code
  }
}

async function readProject(path: string): Promise<Project> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new CliFailure([`cannot read ${path}: ${err instanceof Error ? err.message : ''}`], 1)
  }
  const parsed = parseProjectText(text)
  if (!parsed.ok)
    throw new CliFailure([`${path} is not a valid project:`, ...indent(parsed.errors)], 1)
  return parsed.project
}

async function makeData(project: Project, path: string): Promise<Dataset> {
  const result = await loadDataset(project.data, path)
  if (result.ok) return result.dataset
  throw new CliFailure([`the data set cannot be made:`, ...indent(result.errors.map(issueText))], 1)
}

function issueText(issue: DataIssue): string {
  const where = [
    issue.row === undefined ? '' : `row ${issue.row}`,
    issue.column === undefined ? '' : `column ${issue.column}`,
    issue.columnName === undefined ? '' : `(${issue.columnName})`,
    issue.offset === undefined ? '' : `byte ${issue.offset}`,
    issue.field === undefined ? '' : `field ${issue.field}`,
  ].filter(Boolean)
  return where.length > 0 ? `${where.join(' ')}: ${issue.message}` : issue.message
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

async function train(project: Project, graph: ModelGraph, data: Dataset, args: CliArgs) {
  const settings = {
    ...project.training,
    ...(args.epochs === undefined ? {} : { epochs: args.epochs }),
    ...(args.seed === undefined ? {} : { seed: args.seed }),
  }
  let session
  try {
    session = createSession(graph, data, settings)
  } catch (err) {
    if (!(err instanceof LoweringError)) throw err
    throw new CliFailure(['the graph cannot train on this data:', ...indent([err.message])], 1)
  }
  const s = session.summary
  console.log(
    `${project.name ?? args.project}: ${s.parameters} parameters, ` +
      `${s.flopsPerStep} FLOPs per step, ${settings.epochs} epochs of ${session.stepsPerEpoch} ` +
      `steps on "${data.name}" (cpu)`,
  )
  const started = performance.now()
  const end = await trainLoop(session, {
    control: { stop: false },
    reportEveryMs: 1000,
    report: (p) => {
      if (!args.quiet) console.log(progressLine(p))
    },
  })
  if (end.reason === 'diverged') throw new CliFailure([end.divergence.message], 3)
  const seconds = (performance.now() - started) / 1000
  console.log(
    `done in ${seconds.toFixed(1)} s: train ${metricsText(session.evaluate('train'))}; ` +
      `test ${metricsText(session.evaluate('test'))}`,
  )
  return 0
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
