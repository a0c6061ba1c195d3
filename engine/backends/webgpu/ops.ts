// The WGSL table: one entry per primitive, keyed by op, so a new op does not compile until it
// has WGSL here. Elementwise ops are expressions that fuse into any kernel's epilogue; every
// other op is an anchor: a kernel body that hands each output element to that epilogue.

import type { OpName } from '../../ir'
import type { AnchorGen } from './anchor'
import { conv2dAnchor, conv2dGradInputAnchor, conv2dGradWeightAnchor } from './conv'
import type { Pointwise, PointwiseOp } from './elementwise'
import { POINTWISE } from './elementwise'
import { matmulAnchor } from './matmul'
import { concatAnchor, expandAnchor, padAnchor, permuteAnchor, sliceAnchor } from './movement'
import {
  avgpoolAnchor,
  avgpoolGradAnchor,
  maxpoolAnchor,
  maxpoolGradAnchor,
  maxpoolSelectAnchor,
} from './pool'
import { maxAnchor, sumAnchor } from './reduce'
import { fullAnchor, gatherAnchor, iotaAnchor, randomAnchor, scatterAddAnchor } from './sources'

export type OpCode<K extends OpName> =
  | { readonly kind: 'pointwise'; readonly code: Pointwise }
  | {
      readonly kind: 'anchor'
      readonly gen: AnchorGen<K>
      /** False when the kernel accumulates into its output: epilogues then run apart. */
      readonly fuses: boolean
    }

const pw = (op: PointwiseOp): { kind: 'pointwise'; code: Pointwise } => ({
  kind: 'pointwise',
  code: POINTWISE[op],
})
const anchor = <K extends OpName>(gen: AnchorGen<K>, fuses = true): OpCode<K> => ({
  kind: 'anchor',
  gen,
  fuses,
})

export const WGSL_OPS: { [K in OpName]: OpCode<K> } = {
  neg: pw('neg'),
  exp: pw('exp'),
  log: pw('log'),
  sqrt: pw('sqrt'),
  tanh: pw('tanh'),
  erf: pw('erf'),
  sin: pw('sin'),
  cos: pw('cos'),
  abs: pw('abs'),
  sign: pw('sign'),
  stop_gradient: pw('stop_gradient'),
  add: pw('add'),
  sub: pw('sub'),
  mul: pw('mul'),
  div: pw('div'),
  pow: pw('pow'),
  maximum: pw('maximum'),
  minimum: pw('minimum'),
  cmp_gt: pw('cmp_gt'),
  where: pw('where'),
  sum: anchor(sumAnchor),
  max: anchor(maxAnchor),
  reshape: pw('reshape'),
  permute: anchor(permuteAnchor),
  expand: anchor(expandAnchor),
  slice: anchor(sliceAnchor),
  pad: anchor(padAnchor),
  concat: anchor(concatAnchor),
  matmul: anchor(matmulAnchor),
  conv2d: anchor(conv2dAnchor),
  conv2d_grad_input: anchor(conv2dGradInputAnchor),
  conv2d_grad_weight: anchor(conv2dGradWeightAnchor),
  maxpool2d: anchor(maxpoolAnchor),
  maxpool2d_grad: anchor(maxpoolGradAnchor),
  maxpool2d_select: anchor(maxpoolSelectAnchor),
  avgpool2d: anchor(avgpoolAnchor),
  avgpool2d_grad: anchor(avgpoolGradAnchor),
  gather: anchor(gatherAnchor),
  scatter_add: anchor(scatterAddAnchor, false),
  full: anchor(fullAnchor),
  iota: anchor(iotaAnchor),
  random_uniform: anchor(randomAnchor),
}

/** Whether a kernel headed by `op` can carry an elementwise epilogue. */
export function fuses(op: OpName): boolean {
  const c = WGSL_OPS[op]
  return c.kind === 'pointwise' || c.fuses
}
