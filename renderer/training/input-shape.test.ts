// The Input's shape follows the data, and an equal shape makes no edit.
import { describe, expect, it } from 'vitest'
import { starterGraph } from '../project/starter-graph'
import { withInputShape } from './input-shape'

describe('withInputShape', () => {
  it('sets the Input shape to the data’s example shape', () => {
    const next = withInputShape(starterGraph(), [1, 28, 28])
    expect(next?.nodes.find((n) => n.type === 'input')?.attrs.shape).toBe('1, 28, 28')
  })

  it('makes no edit when the shape already matches, spaces aside', () => {
    expect(withInputShape(starterGraph(), [2])).toBeNull()
  })
})
