// Input: where examples enter the graph. Its shape is the data set's features per example.
import { shape } from '../attrs'
import { defineLayer } from '../layer'

export const input = defineLayer({
  type: 'input',
  title: 'Input',
  family: 'data',
  description: 'The features of one example. Its shape follows the chosen data set.',
  aliases: ['data', 'features', 'x'],
  inputs: [],
  outputs: [{ name: 'y' }],
  attrs: { shape: shape({ default: '2', label: 'Shape' }) },
  shape: (_, { shape: s }) => ({ y: s }),
  lower: (ctx) => ({ y: ctx.data() }),
})
