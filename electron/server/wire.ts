// Tensors over HTTP (browser mode): JSON cannot hold a Float32Array, so each tensor's data
// travels as base64 of its little-endian float32 bytes (every platform Dendrite runs on is
// little-endian, so the bytes are the array's own). Decoding happens before validation: what
// comes out is checked by bridge-args like an IPC argument.

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

export function floatsToBase64(data: Float32Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')
}

/** The floats in a base64 string, or null when it is not whole float32 values in base64. */
export function base64ToFloats(text: string): Float32Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null
  const bytes = Buffer.from(text, 'base64')
  if (bytes.length % 4 !== 0) return null
  // A copy: Buffer's memory may be pooled and not aligned to 4 bytes.
  const out = new Float32Array(bytes.length / 4)
  new Uint8Array(out.buffer).set(bytes)
  return out
}

/**
 * Replaces each weights.tensors[name].data string by its floats. A string that is not base64 of
 * whole float32 values is reported in `errors` with its path (`where`.tensors.<name>.data).
 */
export function decodeWeights(weights: unknown, where: string, errors: string[]): unknown {
  if (!isObj(weights) || !isObj(weights.tensors)) return weights
  const tensors: Obj = {}
  for (const [name, t] of Object.entries(weights.tensors)) {
    if (!isObj(t) || typeof t.data !== 'string') {
      tensors[name] = t
      continue
    }
    const data = base64ToFloats(t.data)
    if (data === null) errors.push(`${where}.tensors.${name}.data: not base64 of float32 values`)
    tensors[name] = { ...t, data }
  }
  return { ...weights, tensors }
}

/** A value (a document, an export request) with its `weights` decoded. */
export function decodeWith(value: unknown, where: string, errors: string[]): unknown {
  if (!isObj(value) || !('weights' in value)) return value
  return { ...value, weights: decodeWeights(value.weights, `${where}.weights`, errors) }
}

/** The inverse for replies: tensors' floats as base64, for JSON. */
export function encodeWeights<
  T extends { tensors: Readonly<Record<string, { data: Float32Array }>> },
>(weights: T): unknown {
  const tensors: Obj = {}
  for (const [name, t] of Object.entries(weights.tensors)) {
    tensors[name] = { ...t, data: floatsToBase64(t.data) }
  }
  return { ...weights, tensors }
}
