// `npm test`: every check in one go — typecheck, lint, unit tests, build, browser tests — then
// one closing line with the counts. Each step runs even when an earlier one failed, so one
// failure does not hide another; the exit code is non-zero when any step failed.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { ensureChromium } from './find-chromium.mjs'

const REPORTS = 'test-results/reports'
rmSync(REPORTS, { recursive: true, force: true })
mkdirSync(REPORTS, { recursive: true })

let chromium
try {
  chromium = await ensureChromium()
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
}
const env = { ...process.env, CHROMIUM_PATH: chromium, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' }

const steps = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  [
    'unit',
    'npx',
    [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${REPORTS}/unit.json`,
    ],
  ],
  ['build', 'npm', ['run', '-s', 'build']],
  ['packaging', 'node', ['scripts/check-packaging.mjs']],
  ['webgpu pages', 'node', ['scripts/build-webgpu-pages.mjs']],
  // The bench as files for a GPU machine with no npm: bundled here, so it cannot rot.
  ['bench bundle', 'node', ['scripts/bundle-bench.mjs']],
  ['e2e', 'npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts']],
]

const failed = []
for (const [name, cmd, args] of steps) {
  const started = Date.now()
  console.log(`\n── ${name} ──`)
  const { status } = spawnSync(cmd, args, { stdio: 'inherit', env })
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  console.log(`── ${name}: ${status === 0 ? 'ok' : 'FAILED'} in ${secs} s`)
  if (status !== 0) failed.push(name)
}

const counts = { passed: 0, failed: 0, skipped: 0 }
addVitest(`${REPORTS}/unit.json`)
addPlaywright(`${REPORTS}/e2e.json`)
console.log(`\nsteps failed: ${failed.length === 0 ? 'none' : failed.join(', ')}`)
console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
process.exit(failed.length === 0 && counts.passed > 0 ? 0 : 1)

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return null
  }
}

function addVitest(path) {
  const r = readJson(path)
  if (!r) return
  counts.passed += r.numPassedTests ?? 0
  counts.failed += r.numFailedTests ?? 0
  counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
}

function addPlaywright(path) {
  const r = readJson(path)
  if (!r?.stats) return
  counts.passed += r.stats.expected ?? 0
  counts.failed += (r.stats.unexpected ?? 0) + (r.stats.flaky ?? 0)
  counts.skipped += r.stats.skipped ?? 0
}
