// The conformance runner as a machine with a GPU and no npm gets it (out/bench-node/check.mjs,
// bundled by scripts/bundle-bench.mjs), run here on Dawn over SwiftShader: the checks asked
// for run, pass and say so, and a bad flag is refused before any device is asked for.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { SWIFTSHADER_ENV, swiftShaderFor } from '../../engine/test/dawn'

const repo = resolve(import.meta.dirname, '../..')

function check(...args: string[]) {
  const r = spawnSync(process.execPath, ['out/bench-node/check.mjs', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...SWIFTSHADER_ENV },
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

beforeAll(() => {
  const r = spawnSync(process.execPath, ['scripts/bundle-bench.mjs'], {
    cwd: repo,
    encoding: 'utf8',
  })
  expect(r.status, r.stderr).toBe(0)
})

describe.skipIf(!swiftShaderFor(import.meta.filename))('on SwiftShader', () => {
  it('runs the checks asked for against the CPU and exits 0 when they pass', () => {
    const r = check('--ops=add,sum', '--curves=0', '--no-zoo', '--no-sessions')
    expect(r.err).toBe('')
    expect(r.out).toContain('(adapter: google / swiftshader)')
    expect(r.out).toMatch(/^PASS add: forward and backward: \d+ cases, largest error /m)
    expect(r.out).toMatch(/^PASS sum: forward and backward: \d+ cases, largest error /m)
    expect(r.out).toMatch(/^PASS spiral: 200 steps: \d+ kernels in 1 dispatch, /m)
    expect(r.out).toMatch(/^3 passed, 0 failed$/m)
    expect(r.code).toBe(0)
  }, 120_000)
})

it('refuses an unknown flag, op or curve with exit 2, naming it', () => {
  const flag = check('--fast')
  expect(flag.err).toMatch(/^unknown flag --fast\nusage: check /)
  expect(flag.code).toBe(2)
  const op = check('--ops=add,relu')
  expect(op.err).toBe('--ops: no op named relu\n')
  expect(op.code).toBe(2)
  const curve = check('--curves=0,99')
  expect(curve.err).toMatch(/^--curves: 99 is not 0 to \d+\n$/)
  expect(curve.code).toBe(2)
})
