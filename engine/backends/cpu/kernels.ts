// The reference definition of every primitive on typed arrays: one kernel per op. Other
// backends are tested against these; a new op does not compile until it has one here.

import type { OpName } from '../../ir'
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel } from './conv'
import { binaryKernel, unaryKernel, whereKernel } from './elementwise'
import { matmulKernel } from './matmul'
import {
  concatKernel,
  expandKernel,
  padKernel,
  permuteKernel,
  reshapeKernel,
  sliceKernel,
} from './movement'
import {
  avgpoolGradKernel,
  avgpoolKernel,
  maxpoolGradKernel,
  maxpoolKernel,
  maxpoolSelectKernel,
} from './pool'
import { maxKernel, sumKernel } from './reduce'
import { fullKernel, gatherKernel, iotaKernel, randomKernel, scatterAddKernel } from './sources'
import type { Kernel } from './types'

export const KERNELS: { [K in OpName]: Kernel<K> } = {
  neg: unaryKernel('neg'),
  exp: unaryKernel('exp'),
  log: unaryKernel('log'),
  sqrt: unaryKernel('sqrt'),
  tanh: unaryKernel('tanh'),
  erf: unaryKernel('erf'),
  sin: unaryKernel('sin'),
  cos: unaryKernel('cos'),
  abs: unaryKernel('abs'),
  sign: unaryKernel('sign'),
  stop_gradient: unaryKernel('stop_gradient'),
  add: binaryKernel('add'),
  sub: binaryKernel('sub'),
  mul: binaryKernel('mul'),
  div: binaryKernel('div'),
  pow: binaryKernel('pow'),
  maximum: binaryKernel('maximum'),
  minimum: binaryKernel('minimum'),
  cmp_gt: binaryKernel('cmp_gt'),
  where: whereKernel,
  sum: sumKernel,
  max: maxKernel,
  reshape: reshapeKernel,
  permute: permuteKernel,
  expand: expandKernel,
  slice: sliceKernel,
  pad: padKernel,
  concat: concatKernel,
  matmul: matmulKernel,
  conv2d: conv2dKernel,
  conv2d_grad_input: conv2dGradInputKernel,
  conv2d_grad_weight: conv2dGradWeightKernel,
  maxpool2d: maxpoolKernel,
  maxpool2d_grad: maxpoolGradKernel,
  maxpool2d_select: maxpoolSelectKernel,
  avgpool2d: avgpoolKernel,
  avgpool2d_grad: avgpoolGradKernel,
  gather: gatherKernel,
  scatter_add: scatterAddKernel,
  full: fullKernel,
  iota: iotaKernel,
  random_uniform: randomKernel,
}
