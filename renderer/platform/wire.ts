// Tensors over browser mode's HTTP Bridge: JSON cannot hold a Float32Array, so each tensor's
// data travels as base64 of its little-endian float32 bytes (electron/server/wire.ts is the
// other end).
import type { StudioWeights, WireTensor } from '../../electron/bridge'

const CHUNK = 0x8000

export function floatsToBase64(data: Float32Array): string {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return bytesToBase64(bytes)
}

export function bytesToBase64(bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.length; i += CHUNK) {
    text += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  }
  return btoa(text)
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

export function base64ToFloats(text: string): Float32Array {
  const bytes = base64ToBytes(text)
  if (bytes.length % 4 !== 0) throw new Error('tensor data is not whole float32 values')
  return new Float32Array(bytes.buffer, 0, bytes.length / 4)
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null

/** Weights with each tensor's data as base64, ready for JSON. */
export function encodeWeights(weights: StudioWeights): Obj {
  const tensors: Obj = {}
  for (const [name, t] of Object.entries(weights.tensors)) {
    tensors[name] = { shape: t.shape, data: floatsToBase64(t.data) }
  }
  return { ...weights, tensors }
}

/** The server's weights back as tensors (the server is ours; its replies were checked there). */
export function decodeTensors(value: unknown): Record<string, WireTensor> {
  const out: Record<string, WireTensor> = {}
  if (!isObj(value)) return out
  for (const [name, t] of Object.entries(value)) {
    if (!isObj(t) || typeof t.data !== 'string' || !Array.isArray(t.shape)) continue
    out[name] = { shape: t.shape.map(Number), data: base64ToFloats(t.data) }
  }
  return out
}
