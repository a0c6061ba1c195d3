// Helper threads for the CPU backend in Node: worker_threads running the helper's source text
// (no files to find, no TypeScript loader needed). Unref'd, so they never keep a process alive.
import { Worker } from 'node:worker_threads'
import type { CpuThreads } from './threads'

export const nodeCpuThreads: CpuThreads = {
  spawn: (source) => {
    const worker = new Worker(source, { eval: true })
    worker.unref()
    return worker
  },
}
