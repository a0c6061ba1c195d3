// The CLI on WebGPU (Dawn on SwiftShader) when the GPU fails as real ones do: a device lost
// mid-run (a driver reset), lost again, refused, or too small for the model. The failures are
// made by engine/test/dawn-faults.mjs, preloaded into the CLI's process.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const repo = resolve(import.meta.dirname, '../..')
const spiral = join(repo, 'assets/examples/spiral.json')
/** Chromium's SwiftShader Vulkan driver, which Dawn can use where there is no GPU. */
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json'

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
        LD_LIBRARY_PATH: '/usr/lib/chromium',
        VK_ICD_FILENAMES: swiftshader,
        ...env,
      },
    },
  )
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const finalLine = (out: string) => /done in .*/.exec(out)?.[0]

describe.skipIf(!existsSync(swiftshader))(
  'dendrite train --backend webgpu when the GPU fails',
  () => {
    // The third submission is the second piece's steps (the first is one step, then its read).
    const lost = { DENDRITE_TEST_LOSE_AT_SUBMIT: '3' }

    it('goes on on a new device after a lost one', () => {
      const r = onGpu(lost, 'train', spiral, '--backend', 'webgpu', '--epochs', '4')
      expect(r.code, r.err).toBe(0)
      expect(finalLine(r.out)).toBeDefined()
    })
  },
)
