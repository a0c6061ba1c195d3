// Compute pipelines cached per device by program key, made asynchronously (SwiftShader and real
// drivers compile for a while; the executable waits once, at creation, never at a step). A key
// is the promise that the shader text is the same, so a hit compares the text it was made from
// and fails loudly on a mismatch (a generator that forgot a structural choice in its key).
// Compilation problems come back with the program's name and the compiler's messages.

import { debugFlag, printProgram } from './debug'
import { slotBindings } from './pieces'
import type { WgslProgram } from './program'

export interface Pipeline {
  readonly pipeline: GPUComputePipeline
  readonly layout: GPUBindGroupLayout
  readonly module: GPUShaderModule
}

interface Cached {
  readonly wgsl: string
  readonly made: Promise<Pipeline>
}

const caches = new WeakMap<GPUDevice, Map<string, Cached>>()

export function pipelineFor(device: GPUDevice, program: WgslProgram): Promise<Pipeline> {
  let cache = caches.get(device)
  if (cache === undefined) {
    cache = new Map()
    caches.set(device, cache)
  }
  const wgsl = program.wgsl()
  // Every program asked for is printed, a cached one too (a model loaded again on this device).
  if (debugFlag('wgsl')) printProgram(program.name, program.key, wgsl)
  const hit = cache.get(program.key)
  if (hit !== undefined) {
    if (hit.wgsl !== wgsl) throw new Error(`webgpu: key ${program.key} names two shaders`)
    return hit.made
  }
  const made = make(device, program, wgsl)
  cache.set(program.key, { wgsl, made })
  return made
}

async function make(device: GPUDevice, program: WgslProgram, wgsl: string): Promise<Pipeline> {
  const module = device.createShaderModule({ code: wgsl, label: program.name })
  const layout = device.createBindGroupLayout({
    label: program.name,
    entries: layoutEntries(program),
  })
  try {
    const pipeline = await device.createComputePipelineAsync({
      label: program.name,
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    })
    return { pipeline, layout, module }
  } catch (err) {
    const info = await compilationInfo(module)
    const lines = info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`)
    const message = `webgpu: ${program.name} did not compile: ${String(err)}`
    throw new Error(`${message}\n${lines.join('\n')}`, { cause: err })
  }
}

/** The uniforms, then each slot's bindings (one per piece of a value bound in pieces). */
function layoutEntries(program: WgslProgram): GPUBindGroupLayoutEntry[] {
  const entries: GPUBindGroupLayoutEntry[] = [
    { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
  ]
  const reads = program.reads.length
  slotBindings(program).forEach((n, slot) => {
    const type = slot < reads ? 'read-only-storage' : 'storage'
    for (let c = 0; c < n; c++) {
      entries.push({
        binding: entries.length,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type },
      })
    }
  })
  return entries
}

export interface CompileProblem {
  readonly program: string
  readonly messages: readonly string[]
}

// Asked once per module: this Chromium never answers a second getCompilationInfo() on a module.
const infos = new WeakMap<GPUShaderModule, Promise<GPUCompilationInfo>>()

function compilationInfo(module: GPUShaderModule): Promise<GPUCompilationInfo> {
  let info = infos.get(module)
  if (info === undefined) {
    info = module.getCompilationInfo()
    infos.set(module, info)
  }
  return info
}

/** Compiler errors of the given programs' modules (empty when all compiled cleanly). */
export async function compileProblems(
  device: GPUDevice,
  programs: readonly WgslProgram[],
): Promise<CompileProblem[]> {
  const problems: CompileProblem[] = []
  for (const program of programs) {
    const module = await pipelineFor(device, program).then(
      (p) => p.module,
      () => device.createShaderModule({ code: program.wgsl(), label: program.name }),
    )
    const info = await compilationInfo(module)
    const errors = info.messages.filter((m) => m.type === 'error')
    if (errors.length > 0) {
      problems.push({
        program: program.name,
        messages: errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`),
      })
    }
  }
  return problems
}
