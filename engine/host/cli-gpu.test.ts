// The CLI on WebGPU (Dawn on SwiftShader) when the GPU fails as real ones do: a device lost
// mid-run (a driver reset), lost again, refused, or too small for the model. The failures are
// made by engine/test/dawn-faults.mjs, preloaded into the CLI's process.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SWIFTSHADER_ENV, swiftShaderFor } from '../test/dawn'

const repo = resolve(import.meta.dirname, '../..')
const spiral = join(repo, 'assets/examples/spiral.json')

/** The CLI on Dawn with the faults `env` asks dawn-faults.mjs for. */
function onGpu(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './engine/test/dawn-faults.mjs', 'engine/host/cli.ts', ...args],
    {
      cwd: repo,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        ...SWIFTSHADER_ENV,
        ...env,
      },
    },
  )
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** The spiral project with two dense layers of 16500 units: a 1.01 GiB weight. */
function tooBig(): string {
  const project = JSON.parse(readFileSync(spiral, 'utf8')) as {
    graph: { nodes: { id: string; attrs: Record<string, unknown> }[] }
  }
  for (const node of project.graph.nodes) {
    if (node.id === 'dense1' || node.id === 'dense2') node.attrs.units = 16500
  }
  const path = join(mkdtempSync(join(tmpdir(), 'dendrite-gpu-')), 'too-big.json')
  writeFileSync(path, JSON.stringify(project))
  return path
}

const finalLine = (out: string) => /done in .*/.exec(out)?.[0]

describe.skipIf(!swiftShaderFor(import.meta.filename))(
  'dendrite train --backend webgpu when the GPU fails',
  () => {
    // The third submission is the second piece's steps (the first is one step, then its read).
    const lost = { DENDRITE_TEST_LOSE_AT_SUBMIT: '3' }

    it('goes on on a new device after a lost one, and says so', () => {
      const r = onGpu(lost, 'train', spiral, '--backend', 'webgpu', '--epochs', '4', '--quiet')
      expect(r.code, r.err).toBe(0)
      expect(r.out).toMatch(
        /^The GPU device was lost \(.*\); training resumed on a new device from the checkpoint at step 0\.$/m,
      )
      expect(finalLine(r.out)).toBeDefined()
    })

    it('goes on on the CPU from the last checkpoint when the new device is lost too', () => {
      const twice = { ...lost, DENDRITE_TEST_LOSE_DEVICES: '2' }
      const r = onGpu(twice, 'train', spiral, '--backend', 'webgpu', '--epochs', '4')
      expect(r.code, r.err).toBe(0)
      expect(r.out).toMatch(
        /^The GPU device was lost again \(.*\)\. Training continues on the CPU from the checkpoint at step 0\.$/m,
      )
      expect(r.out).toMatch(/^epoch 4\/4 {2}step 100 /m)
      expect(finalLine(r.out)).toBeDefined()
      expect(r.err).toBe('')
    })

    it('prints every WGSL program it runs, with its name, under DENDRITE_DEBUG=wgsl', () => {
      const debug = { DENDRITE_DEBUG: 'wgsl' }
      const r = onGpu(debug, 'train', spiral, '--backend', 'webgpu', '--epochs', '1', '--quiet')
      expect(r.code, r.err).toBe(0)
      const names = [...r.out.matchAll(/^\/\/ ── (.*) ──$/gm)].map((m) => m[1])
      expect(names).toContain('gather rows')
      expect(names.length).toBeGreaterThan(1)
      expect(r.out).toMatch(/^@compute @workgroup_size/m)
      expect(onGpu({}, 'train', spiral, '--backend', 'webgpu', '--epochs', '1').out).not.toContain(
        '// ──',
      )
    })

    it('says in one line, exit 1, that the adapter refused a device', () => {
      const r = onGpu({ DENDRITE_TEST_REFUSE_DEVICE: '1' }, 'train', spiral, '--backend', 'webgpu')
      expect(r.code).toBe(1)
      expect(r.err.trim()).toMatch(
        /^--backend webgpu: the WebGPU adapter \(google \/ swiftshader\) refused a device: OperationError: .*simulated\)$/,
      )
    })

    it('says in one line, exit 1, that a model is over the device limits', () => {
      const r = onGpu({}, 'train', tooBig(), '--backend', 'webgpu')
      expect(r.code).toBe(1)
      const lines = r.err.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(
        /^--backend webgpu: the model does not fit this GPU: param dense2\.weight f32\[16500,16500\] needs .* in one buffer; this device allows .* \(maxBufferSize\)\./,
      )
      // The need and the limit read differently (1.01 GiB against SwiftShader's 1.00 GiB).
      const [, need, most] =
        /needs (.*) in one buffer; this device allows (.*) \(/.exec(r.err) ?? []
      expect(need).not.toBe(most)
    })
  },
)
