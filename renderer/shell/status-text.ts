// The status bar's sentences: which backend the engine runs on, and how the graph stands.
import type { HelloResult } from '../../engine/protocol/messages'
import type { EngineState } from '../stores/engine'

/** The backend a loaded session trains on, as the load reply names it. */
export interface SessionBackend {
  readonly name: string
  readonly adapter?: string | undefined
  readonly reason?: string | undefined
}

/**
 * "WebGPU · google / swiftshader", or "CPU · <why not WebGPU>": the loaded session's backend,
 * else what the engine offers.
 */
export function backendText(
  state: EngineState,
  hello: HelloResult | null,
  error: string | null,
  session: SessionBackend | null = null,
): string {
  if (state === 'failed') return `Engine failed · ${error ?? 'no reason given'}`
  if (!hello) return 'Starting engine…'
  if (session) return sessionText(session)
  const webgpu = hello.backends.find((b) => b.name === 'webgpu')
  if (webgpu) return `WebGPU · ${webgpu.adapter ?? 'unnamed adapter'}`
  return `CPU · ${hello.webgpuUnavailable ?? 'WebGPU is unavailable'}`
}

function sessionText(session: SessionBackend): string {
  if (session.name === 'webgpu') return `WebGPU · ${session.adapter ?? 'unnamed adapter'}`
  return session.reason ? `CPU · ${session.reason}` : 'CPU'
}

/** "No problems", "1 error", "2 errors · 1 warning", "1 warning · 2 hints", "1 hint". */
export function problemsText(errors: number, warnings: number, hints = 0): string {
  const parts: string[] = []
  const count = (n: number, word: string): void => {
    if (n > 0) parts.push(n === 1 ? `1 ${word}` : `${n} ${word}s`)
  }
  count(errors, 'error')
  count(warnings, 'warning')
  count(hints, 'hint')
  return parts.length === 0 ? 'No problems' : parts.join(' · ')
}
