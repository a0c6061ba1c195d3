// What this host can run: WebGPU when an adapter is offered, and always the CPU reference.
import { probeAdapter } from '../backends/webgpu/adapter'
import type { HelloResult } from '../protocol/messages'
import { PROTOCOL_VERSION } from '../protocol/messages'
import { ENGINE_VERSION } from '../version'

export async function detectBackends(): Promise<HelloResult> {
  const probe = await probeAdapter()
  const cpu = { name: 'cpu' as const }
  if (probe.ok) {
    return {
      engineVersion: ENGINE_VERSION,
      protocol: PROTOCOL_VERSION,
      backends: [{ name: 'webgpu', adapter: probe.name }, cpu],
    }
  }
  return {
    engineVersion: ENGINE_VERSION,
    protocol: PROTOCOL_VERSION,
    backends: [cpu],
    webgpuUnavailable: probe.reason,
  }
}
