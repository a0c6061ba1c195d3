// A preload for tests that run the CLI on Dawn (node --import ./engine/test/dawn-faults.mjs):
// it makes the GPU fail as real ones do, chosen by environment variables.
//   DENDRITE_TEST_LOSE_AT_SUBMIT=N  each device is destroyed at its Nth queue submission (a
//                                   driver reset mid-run), for the first
//   DENDRITE_TEST_LOSE_DEVICES=K    devices (default 1).
//   DENDRITE_TEST_REFUSE_DEVICE=1   every adapter refuses a device (a driver in a bad state).
import { createRequire } from 'node:module'

const dawn = createRequire(import.meta.url)('webgpu')
const adapters = dawn.globals.GPUAdapter.prototype
const requestDevice = adapters.requestDevice
const loseAt = Number(process.env.DENDRITE_TEST_LOSE_AT_SUBMIT ?? 0)
const losing = Number(process.env.DENDRITE_TEST_LOSE_DEVICES ?? 1)
let made = 0

adapters.requestDevice = async function (...args) {
  if (process.env.DENDRITE_TEST_REFUSE_DEVICE === '1') {
    throw new DOMException('the adapter refused a device (simulated)', 'OperationError')
  }
  const device = await requestDevice.apply(this, args)
  made++
  if (loseAt > 0 && made <= losing) {
    const queue = device.queue
    const submit = queue.submit
    let submits = 0
    queue.submit = function (...work) {
      const result = submit.apply(this, work)
      if (++submits === loseAt) device.destroy()
      return result
    }
  }
  return device
}
