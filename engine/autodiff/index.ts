// Public surface of autodiff: the grad transformation and the VJP rule table.

export type { GradOptions } from './grad'
export { addGradients, grad } from './grad'
export type { LazyCotangent, VjpContext, VjpRule } from './vjp-rules'
export { VJP_RULES } from './vjp-rules'
