// Fetches the bytes a data spec needs in the browser and the hidden window: MNIST's packed
// file, which the build copies beside the engine. Everything else is generated in the engine.
import type { DataSources } from '../data/registry'
import type { DataSpec } from '../data/spec'

const MNIST_URL = new URL('../../assets/data/mnist.bin', import.meta.url)

let mnist: Promise<ArrayBuffer> | null = null

export async function fetchSources(spec: DataSpec): Promise<DataSources> {
  if (spec.kind !== 'builtin' || spec.name !== 'mnist') return {}
  mnist ??= fetch(MNIST_URL).then(async (response) => {
    if (!response.ok) throw new Error(`cannot load MNIST (${response.status} ${MNIST_URL.href})`)
    return response.arrayBuffer()
  })
  try {
    return { mnist: await mnist }
  } catch (err) {
    mnist = null
    throw err
  }
}
