// The reference definition of every primitive on typed arrays: one kernel per op. Other
// backends are tested against these; a new op does not compile until it has one here.

import type { OpName } from '../../ir'
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel } from './conv'
import { BINARY_LOOPS, UNARY_LOOPS, binaryKernel, unaryKernel, whereKernel } from './elementwise'
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
  neg: unaryKernel(UNARY_LOOPS.neg),
  exp: unaryKernel(UNARY_LOOPS.exp),
  log: unaryKernel(UNARY_LOOPS.log),
  sqrt: unaryKernel(UNARY_LOOPS.sqrt),
  tanh: unaryKernel(UNARY_LOOPS.tanh),
  erf: unaryKernel(UNARY_LOOPS.erf),
  sin: unaryKernel(UNARY_LOOPS.sin),
  cos: unaryKernel(UNARY_LOOPS.cos),
  abs: unaryKernel(UNARY_LOOPS.abs),
  sign: unaryKernel(UNARY_LOOPS.sign),
  stop_gradient: unaryKernel(UNARY_LOOPS.stop_gradient),
  add: binaryKernel(BINARY_LOOPS.add),
  sub: binaryKernel(BINARY_LOOPS.sub),
  mul: binaryKernel(BINARY_LOOPS.mul),
  div: binaryKernel(BINARY_LOOPS.div),
  pow: binaryKernel(BINARY_LOOPS.pow),
  maximum: binaryKernel(BINARY_LOOPS.maximum),
  minimum: binaryKernel(BINARY_LOOPS.minimum),
  cmp_gt: binaryKernel(BINARY_LOOPS.cmp_gt),
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
