// Embedding: a learned table with one vector per token id; looking a token up is the same as a
// Dense layer applied to its one-hot vector, without building the one-hot vector.
import { int } from '../attrs'
import { defineLayer, only, port } from '../layer'

export const embedding = defineLayer({
  type: 'embedding',
  title: 'Embedding',
  family: 'layers',
  formula: 'y[t] = W[x[t]]',
  description: 'Turns token ids into learned vectors, one row of its table per id.',
  aliases: ['lookup', 'token', 'word vectors'],
  inputs: [{ name: 'x' }],
  outputs: [{ name: 'y' }],
  attrs: {
    vocab: int({ default: 100, min: 1, max: 1_000_000, label: 'Vocabulary size' }),
    dim: int({ default: 16, min: 1, max: 65536, label: 'Vector size' }),
  },
  shape: (inputs, { dim }) => ({ y: [...only(inputs), dim] }),
  params: (_, { vocab, dim }) => ({ weight: [vocab, dim] }),
  init: () => ({ weight: 'normal' }),
  lower: ({ ir }, inputs, params) => ({ y: ir.gather(port(params, 'weight'), port(inputs, 'x')) }),
})
