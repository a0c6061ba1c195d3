// Assembles the CPU backend's WebAssembly kernels (engine/backends/cpu/wasm/*-wat.ts) with wabt
// and writes the bytes, base64, into kernels-wasm.ts, so the engine needs no file access or
// build step to load them. Run after changing a *-wat.ts file: npx tsx scripts/build-cpu-wasm.ts
import { writeFileSync } from 'node:fs'
import { assembleCpuKernels, kernelsWasmSource } from './cpu-wasm-assemble'

const target = new URL('../engine/backends/cpu/wasm/kernels-wasm.ts', import.meta.url)
const modules = await assembleCpuKernels()
writeFileSync(target, kernelsWasmSource(modules))
console.log(`wrote ${target.pathname}: ${modules.map((m) => m.length).join(' + ')} bytes`)
