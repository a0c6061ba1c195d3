// Node-only MNIST loading (tests, CLI): reads assets/data/mnist.bin from disk and hands the bytes
// to the pure decoder in mnist.ts. Browsers and the hidden window fetch the same file instead.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { DatasetResult } from './dataset'
import type { MnistOptions } from './mnist'
import { mnistDataset } from './mnist'

/** Where the packed file lives in the repository. */
export const MNIST_BIN_PATH = fileURLToPath(new URL('../../assets/data/mnist.bin', import.meta.url))

/** The file's bytes as an ArrayBuffer of exactly its length. */
export async function readMnistFile(path: string = MNIST_BIN_PATH): Promise<ArrayBuffer> {
  const bytes = await readFile(path)
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy.buffer
}

export async function loadMnistDataset(
  opts: MnistOptions,
  path: string = MNIST_BIN_PATH,
): Promise<DatasetResult> {
  return mnistDataset(await readMnistFile(path), opts)
}
