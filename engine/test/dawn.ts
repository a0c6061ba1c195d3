// WebGPU in unit tests, through Dawn (dawn-node.ts): where Node finds no adapter, a test file
// runs again in a process pointed at Chromium's SwiftShader (Vulkan on the CPU), so its tests
// run wherever that driver is installed. A device may be told smaller limits than it has, as a
// small GPU would give: a buffer larger than it says it allows is then made invalid, as the
// device itself would make it, and everything using it fails validation as on that GPU.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { relative } from 'node:path'
import { expect, it } from 'vitest'
import { installDawn } from '../backends/webgpu/dawn-node'
import { requestDevice } from '../backends/webgpu/device'

export const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json'

/** What a child process's environment needs for Dawn to find SwiftShader (and its libvulkan). */
export const SWIFTSHADER_ENV = {
  LD_LIBRARY_PATH: '/usr/lib/chromium',
  VK_ICD_FILENAMES: SWIFTSHADER,
} as const

/** Dawn's adapter, or null where this process finds none. */
export async function dawnAdapter(): Promise<GPUAdapter | null> {
  try {
    return await (await installDawn()).requestAdapter()
  } catch {
    return null
  }
}

export interface SmallerLimits {
  readonly maxBufferSize?: number
  readonly maxStorageBufferBindingSize?: number
  /** Buffers it refuses besides, as a GPU out of memory would (made invalid). */
  readonly refuse?: (desc: GPUBufferDescriptor) => boolean
}

/**
 * A device as the app asks for one, from a fresh adapter (one gives a single device); one that
 * reports `limits` (and keeps to them) if given.
 */
export async function dawnDevice(limits?: SmallerLimits): Promise<GPUDevice> {
  const adapter = await dawnAdapter()
  if (adapter === null) throw new Error('Dawn found no WebGPU adapter')
  const device = await requestDevice(adapter)
  return limits === undefined ? device : withLimits(device, limits)
}

/** `device`, reporting `limits` and refusing (as invalid) any buffer larger than it says. */
export function withLimits(device: GPUDevice, limits: SmallerLimits): GPUDevice {
  const { maxBufferSize, maxStorageBufferBindingSize, refuse } = limits
  const small: Record<string, number | undefined> = { maxBufferSize, maxStorageBufferBindingSize }
  const told = new Proxy(device.limits, {
    get: (target, key) =>
      (typeof key === 'string' ? small[key] : undefined) ?? (Reflect.get(target, key) as unknown),
  })
  const most = maxBufferSize ?? device.limits.maxBufferSize
  const createBuffer = (desc: GPUBufferDescriptor): GPUBuffer =>
    // Past its real limit too: the device makes an invalid buffer and reports a validation error.
    device.createBuffer(
      desc.size > most || refuse?.(desc) === true
        ? { ...desc, size: device.limits.maxBufferSize + 4 }
        : desc,
    )
  return new Proxy(device, {
    get: (target, key) => {
      if (key === 'limits') return told
      if (key === 'createBuffer') return createBuffer
      const value = Reflect.get(target, key) as unknown
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value
    },
    set: (target, key, value) => Reflect.set(target, key, value),
  })
}

/**
 * Runs the vitest file `file` again with Dawn pointed at SwiftShader; its exit status and output.
 * For a process that found no adapter (its tests on Dawn were skipped).
 */
export function onSwiftShader(file: string): { status: number | null; output: string } {
  const env = {
    ...process.env,
    ...SWIFTSHADER_ENV,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  }
  const run = spawnSync('npx', ['vitest', 'run', relative(process.cwd(), file)], {
    env,
    encoding: 'utf8',
    timeout: 540_000,
  })
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` }
}

/** Whether a process pointed at SwiftShader could run the tests this one skips. */
export const swiftShaderInstalled = (): boolean => existsSync(SWIFTSHADER)

/**
 * Whether the tests of `file` that need SwiftShader can run; where they cannot, says why, as
 * they then show as skipped.
 */
export function swiftShaderFor(file: string): boolean {
  const here = swiftShaderInstalled()
  if (!here)
    console.log(`${relative(process.cwd(), file)}: skipped, no SwiftShader at ${SWIFTSHADER}`)
  return here
}

/**
 * For a test file whose tests need `adapter`: where this process has none but SwiftShader is
 * installed, one test runs the file again on it and passes only if that run passes a test.
 */
export function runAgainOnSwiftShader(file: string, adapter: GPUAdapter | null): void {
  it.runIf(adapter === null && swiftShaderInstalled())(
    'passes on SwiftShader, run again in a process that finds it',
    () => {
      const run = onSwiftShader(file)
      const tally = /Tests +([^\n]*)/.exec(run.output)?.[1]?.trim() ?? 'no tally'
      // Why this file's other tests show as skipped here: they ran in the child.
      console.log(
        `${relative(process.cwd(), file)}: no WebGPU adapter in this process; ` +
          `on SwiftShader in a child: ${tally}`,
      )
      expect(run.output).toMatch(/Tests +[1-9]\d* passed/)
      expect(run.status, run.output.slice(-4000)).toBe(0)
    },
    600_000,
  )
}
