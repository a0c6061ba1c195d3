// One bootstrap for the hidden engine window and the browser-mode Worker: wait for the message
// that carries the engine's port, then serve the protocol on it. WebGPU's tuner keeps its
// choices in this context's IndexedDB, so a later run of the app need not time them again.
import { indexedDbMemory } from '../backends/webgpu'
import { ENGINE_PORT_MESSAGE } from '../protocol/port-message'
import { detectBackends } from './backends'
import { fetchSources } from './data-sources'
import { serve } from './serve'

let hello: ReturnType<typeof detectBackends> | null = null
const once = () => (hello ??= detectBackends())

self.addEventListener('message', (event: MessageEvent) => {
  const port = event.ports[0]
  if (event.data !== ENGINE_PORT_MESSAGE || !port) return
  serve(port, { hello: once, sources: fetchSources, tuneMemory: indexedDbMemory() })
})
