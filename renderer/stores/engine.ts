// The studio's link to the engine: the protocol client once the port arrives, what the
// engine said in hello (backends, adapter), and why it failed when it did.
import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import type { HelloResult } from '../../engine/protocol/messages'
import type { PortLike } from '../../engine/protocol/port'
import { createEngineClient } from '../engine-client/client'
import type { EngineClient } from '../engine-client/client'

export type EngineState = 'connecting' | 'ready' | 'failed'

export const useEngineStore = defineStore('engine', () => {
  const client = shallowRef<EngineClient | null>(null)
  const hello = ref<HelloResult | null>(null)
  const state = ref<EngineState>('connecting')
  const error = ref<string | null>(null)

  async function connect(port: Promise<PortLike>): Promise<void> {
    try {
      const c = createEngineClient(await port)
      c.onInvalid((problem) => {
        // A malformed engine message is a bug on one side of the protocol: say so loudly.
        console.error(`engine sent an invalid message: ${problem}`)
      })
      client.value = markRaw(c)
      hello.value = await c.request({ type: 'hello' })
      state.value = 'ready'
    } catch (err) {
      state.value = 'failed'
      error.value = err instanceof Error ? err.message : String(err)
    }
  }

  return { client, hello, state, error, connect }
})
