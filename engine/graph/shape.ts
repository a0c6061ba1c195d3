// Tensor shapes per example (the batch dimension is implicit and comes first at run time),
// their text form for attributes and display, and the failure a shape rule raises.

export type { Shape } from '../ir/shape'
export { numel as sizeOf, sameShape } from '../ir/shape'
import type { Shape } from '../ir/shape'

/** Thrown by a layer's shape rule; inference turns it into a problem on that node. */
export class ShapeRuleError extends Error {
  constructor(
    message: string,
    readonly port?: string,
  ) {
    super(message)
  }
}

export function fail(message: string, port?: string): never {
  throw new ShapeRuleError(message, port)
}

export function formatShape(shape: Shape): string {
  return shape.length === 0 ? 'scalar' : shape.join('×')
}

const MAX_DIM = 1 << 24

/** Parses "2", "1, 28, 28" or "1×28×28" into a shape of positive whole numbers. */
export function parseShape(text: string): { shape: Shape } | { error: string } {
  const parts = text.split(/[,x×\s]+/).filter((p) => p !== '')
  if (parts.length === 0) return { error: 'needs at least one dimension, e.g. "2" or "1, 28, 28"' }
  const dims: number[] = []
  for (const part of parts) {
    const n = Number(part)
    if (!Number.isInteger(n) || n < 1 || n > MAX_DIM) {
      return { error: `"${part}" is not a dimension (a whole number from 1 to ${MAX_DIM})` }
    }
    dims.push(n)
  }
  return { shape: dims }
}
