// Optional helper threads for big matrix multiplies. The host opts in with setCpuThreads(),
// giving a way to start a worker from source text (threads.node.ts does it for Node with
// worker_threads; a browser host can use a Blob URL Worker). Each executable whose memory can
// be shared then starts one helper over that memory: the helper runs the module's `serve`
// loop (it waits on a control block with wasm atomics), and a big gemm is split in two, half
// on each thread. Where SharedArrayBuffer is unavailable, or no host opted in, or the helper
// has not started yet, every gemm runs on the calling thread: same results, one core.

import { gemmCall } from './gemm-wasm'
import { MR, NR } from './wasm/gemm-wat'
import type { WasmInstance } from './wasm/runtime'

/** What the engine needs of a thread. */
export interface CpuWorker {
  postMessage(message: unknown): void
  terminate(): unknown
}

export interface CpuThreads {
  /** Starts a worker running `source` (plain JavaScript, no imports). */
  spawn(source: string): CpuWorker
}

let configured: CpuThreads | null = null

/** Turns helper threads on (with a way to spawn them) or off (null) for new executables. */
export function setCpuThreads(threads: CpuThreads | null): void {
  configured = threads
}

export function cpuThreads(): CpuThreads | null {
  return configured
}

/** The helper's whole program: instantiate the kernels over the shared memory and serve. */
export const CPU_WORKER_SOURCE = `
const start = (m) => {
  const instance = new WebAssembly.Instance(m.module, { env: { mem: m.memory } })
  instance.exports.serve(m.control, m.workspace)
}
if (typeof self !== 'undefined' && typeof self.addEventListener === 'function') {
  self.addEventListener('message', (e) => start(e.data), { once: true })
} else {
  require('node:worker_threads').parentPort.once('message', start)
}
`

/** Byte size of the control block: seq, done, ready and 12 gemm arguments. */
export const CONTROL_BYTES = 64

export interface GemmTeam {
  /**
   * A gemm prepared once (M, N, K, a, ars, acs, b, brs, bcs, c, ldc, acc: addresses and
   * strides in bytes) that runs with half the work on the helper once it has started.
   */
  prepare(args: readonly number[], workspace: number): () => void
  /** Whether the helper has started and takes its half. */
  ready(): boolean
  terminate(): void
}

const SEQ = 0
const DONE = 1
const READY = 2
/** Longest wait for the helper before giving up on it (it died): 600 waits of 100 ms. */
const PATIENCE = 600
/** One spin's share of a 100 ms wait (a spin is a few nanoseconds). */
const SPIN_COST = 1e-8

export function createTeam(
  w: WasmInstance,
  control: number,
  helperWorkspace: number,
): GemmTeam | null {
  if (configured === null || !w.shared) return null
  let worker: CpuWorker
  try {
    worker = configured.spawn(CPU_WORKER_SOURCE)
    worker.postMessage({
      module: w.module,
      memory: w.memory,
      control,
      workspace: helperWorkspace,
    })
  } catch {
    return null
  }
  const i32 = new Int32Array(w.memory.buffer, control, CONTROL_BYTES / 4)
  const gemm = w.exports.gemm
  let seq = 0
  let canBlock = true
  // No clock in here (performance.now() allocates a number per call): patience is counted
  // in 100 ms waits, or in spins where this thread may not block.
  const waitDone = (): void => {
    let waits = 0
    for (;;) {
      const done = Atomics.load(i32, DONE)
      if (done === seq) return
      const r = canBlock ? blockWhile(i32, DONE, done) : 'spin'
      if (r === null) canBlock = false
      if (r === 'timed-out' || r === 'spin') waits += r === 'spin' ? SPIN_COST : 1
      if (waits > PATIENCE) throw new Error('cpu: the gemm helper thread stopped')
    }
  }
  return {
    prepare: (args, workspace) => {
      const whole = gemmCall(gemm, args, workspace)
      const [mine, theirs] = split(args)
      if (theirs === null) return whole
      const part = gemmCall(gemm, mine, workspace)
      const job = Int32Array.from(theirs)
      return () => {
        if (Atomics.load(i32, READY) !== 1) return whole()
        i32.set(job, 3)
        seq = (seq + 1) | 0
        Atomics.store(i32, SEQ, seq)
        Atomics.notify(i32, SEQ, 1)
        part()
        waitDone()
      }
    },
    ready: () => Atomics.load(i32, READY) === 1,
    terminate: () => void worker.terminate(),
  }
}

/** Atomics.wait for up to 100 ms; null where this thread may not block (a page's main thread). */
function blockWhile(i32: Int32Array, index: number, value: number): string | null {
  try {
    return Atomics.wait(i32, index, value, 100)
  } catch {
    return null
  }
}

/** Two halves along the longer side of C (tile multiples), or null when too small to split. */
function split(args: readonly number[]): [number[], number[] | null] {
  const at = (i: number): number => args[i] ?? 0
  const [M, N] = [at(0), at(1)]
  const mine = [...args]
  const theirs = [...args]
  if (N >= M && N >= 2 * NR) {
    const n1 = Math.ceil(N / 2 / NR) * NR
    mine[1] = n1
    theirs[1] = N - n1
    theirs[6] = at(6) + n1 * at(8) // b moves n1 columns
    theirs[9] = at(9) + 4 * n1 // c moves n1 columns
    return [mine, theirs]
  }
  if (M < 2 * MR) return [mine, null]
  const m1 = Math.ceil(M / 2 / MR) * MR
  mine[0] = m1
  theirs[0] = M - m1
  theirs[3] = at(3) + m1 * at(4) // a moves m1 rows
  theirs[9] = at(9) + m1 * at(10) // c moves m1 rows
  return [mine, theirs]
}
