// Sum and max over any set of axes. Axes are collapsed into kept and reduced runs first. Many
// outputs: one invocation per output loops over its reduced elements (nested loops, no
// divisions). Few outputs over many elements: a workgroup per output splits the work and
// combines partial results through workgroup memory. Columns (one reduced run, the outputs
// contiguous, as a bias gradient sums a [batch, units] gradient over the batch): a workgroup
// per STRIP neighbouring outputs, each output's elements dealt to SLICES invocations, whose
// partial results combine through workgroup memory: one dispatch, where the serial form would
// leave each invocation waiting on its own loads for every row, and two stages would take two
// dispatches (split-reduce.ts). 64 invocations, as every kernel of a whole step has.

import type { Shape } from '../../ir'
import { numel, strides } from '../../ir'
import type { AnchorCode, AnchorGen } from './anchor'
import { listUniforms, mapAnchor, shapeAt } from './anchor'
import { flatWorkgroups, u32 } from './program'

interface Runs {
  kept: { dims: number[]; strides: number[] }
  reduced: { dims: number[]; strides: number[] }
}

/** Kept and reduced axes, size-1 axes dropped and neighbours of the same kind merged. */
function runs(shape: Shape, axes: readonly number[]): Runs {
  const own = strides(shape)
  const out: Runs = { kept: { dims: [], strides: [] }, reduced: { dims: [], strides: [] } }
  let prev: 'kept' | 'reduced' | null = null
  shape.forEach((d, i) => {
    if (d === 1) return
    const kind = axes.includes(i) ? 'reduced' : 'kept'
    const run = out[kind]
    const s = own[i] ?? 1
    const last = run.dims.length - 1
    if (prev === kind && last >= 0) {
      run.dims[last] = (run.dims[last] ?? 1) * d
      run.strides[last] = s
    } else {
      run.dims.push(d)
      run.strides.push(s)
    }
    prev = kind
  })
  return out
}

type Combine = 'sum' | 'max'
/** A reduction's starting value, and WGSL folding x into acc (max keeps a NaN: it spreads). */
export const INIT: Record<Combine, string> = { sum: '0.0', max: '-inf_f()' }
export const FOLD: Record<Combine, (acc: string, x: string) => string> = {
  sum: (acc, x) => `${acc} = ${acc} + ${x};`,
  max: (acc, x) => `if (${x} > ${acc} || ${x} != ${x}) { ${acc} = ${x}; }`,
}

/** WGSL that sets `base`: the input offset of output element `i` (kept coordinates). */
function keptBase(rank: number): string {
  const lines = ['var rem = i;', 'var base = 0u;']
  for (let d = rank - 1; d >= 0; d--) {
    lines.push(`base = base + (rem % u.kd${d}) * u.ks${d};`, `rem = rem / u.kd${d};`)
  }
  return lines.join('\n  ')
}

/** Operand element at a WGSL index (a buffer read, or a prologue's value). */
type Load = (index: string) => string

function serial(op: Combine, load: Load, r: Runs, count: number): AnchorCode {
  const kr = r.kept.dims.length
  const rr = r.reduced.dims.length
  let body = `${FOLD[op]('acc', load(`o${rr}`))}`
  for (let d = rr - 1; d >= 0; d--) {
    body =
      `for (var j${d} = 0u; j${d} < u.rd${d}; j${d}++) {\n` +
      `    let o${d + 1} = o${d} + j${d} * u.rs${d};\n    ${body}\n  }`
  }
  return mapAnchor({
    key: `reduce:${op}:serial:${kr}:${rr}`,
    count,
    lib: op === 'max' ? ['inf_f'] : [],
    uniforms: uniformsOf(r),
    value: `  ${keptBase(kr)}
  var acc = ${INIT[op]};
  let o0 = base;
  ${body}
  return acc;`,
  })
}

const COOP = 64

/**
 * WGSL storing each invocation's acc in part[lidx], then folding `width` of them, `stride`
 * slots apart, into the first (the invocation whose `lane` is 0): a tree, a barrier a level.
 */
function combine(op: Combine, width: number, stride: number, lane: string): string {
  return `part[lidx] = acc;
  workgroupBarrier();
  for (var w = ${width / 2}u; w > 0u; w = w / 2u) {
    if (${lane} < w) {
      var a = part[lidx];
      let b = part[lidx + w${stride === 1 ? '' : ` * ${stride}u`}];
      ${FOLD[op]('a', 'b')}
      part[lidx] = a;
    }
    workgroupBarrier();
  }`
}

/** Outputs a column workgroup computes, and invocations sharing each one's elements. */
const STRIP = 8
const SLICES = 8

/** Elements per output up to which columns run in one dispatch (64 loads an invocation). */
const COLUMN_DEPTH = 64 * SLICES
/**
 * Inputs from which columns pay for their barriers (the size from which a GPU would split the
 * reduction in two stages, SPLIT_ON_GPU): below it the serial form needs none, and a whole
 * step (whole-step.ts) keeps its few lanes, which a kernel sharing workgroup memory takes.
 */
const COLUMNS_FROM = 8 * 1024

/**
 * Whether a reduction of `shape` over `axes` runs as columns (see the header): at least
 * COLUMNS_FROM elements, in one reduced run of SLICES to COLUMN_DEPTH, into at least STRIP
 * contiguous outputs. Deeper columns are split in two stages first (split-reduce.ts).
 */
export function isColumns(shape: Shape, axes: readonly number[]): boolean {
  const r = runs(shape, axes)
  const depth = r.reduced.dims.length === 1 ? (r.reduced.dims[0] ?? 0) : 0
  const contiguous = r.kept.strides.at(-1) === 1 && numel(r.kept.dims) >= STRIP
  const large = numel(shape) >= COLUMNS_FROM
  return large && contiguous && depth >= SLICES && depth <= COLUMN_DEPTH
}

function columns(op: Combine, load: Load, r: Runs, count: number): AnchorCode {
  const kr = r.kept.dims.length
  const main = `let lx = lidx % ${STRIP}u;
  let ly = lidx / ${STRIP}u;
  let i = (wid.y * nwg.x + wid.x) * ${STRIP}u + lx;
  var acc = ${INIT[op]};
  if (i < u.n) {
    ${keptBase(kr)}
    for (var k = ly; k < u.rd0; k = k + ${SLICES}u) {
      let x = ${load('base + k * u.rs0')};
      ${FOLD[op]('acc', 'x')}
    }
  }
  ${combine(op, SLICES, STRIP, 'ly')}
  if (ly == 0u && i < u.n) { emit(i, part[lx]); }`
  return {
    key: `reduce:${op}:columns:${kr}`,
    uniforms: [u32('n', count), ...uniformsOf(r)],
    lib: op === 'max' ? ['inf_f'] : [],
    decls: `var<workgroup> part: array<f32, ${STRIP * SLICES}>;`,
    main,
    workgroupSize: [STRIP * SLICES, 1, 1],
    workgroups: flatWorkgroups(count, STRIP),
    fusable: true,
  }
}

function cooperative(op: Combine, load: Load, r: Runs, count: number): AnchorCode {
  const kr = r.kept.dims.length
  const rr = r.reduced.dims.length
  const split = ['var t = k;', 'var off = base;']
  for (let d = rr - 1; d >= 0; d--) {
    split.push(`off = off + (t % u.rd${d}) * u.rs${d};`, `t = t / u.rd${d};`)
  }
  const main = `let i = wid.x;
  ${keptBase(kr)}
  var acc = ${INIT[op]};
  for (var k = lidx; k < u.total; k = k + ${COOP}u) {
    ${split.join('\n    ')}
    let x = ${load('off')};
    ${FOLD[op]('acc', 'x')}
  }
  ${combine(op, COOP, 1, 'lidx')}
  if (lidx == 0u) { emit(i, part[0]); }`
  return {
    key: `reduce:${op}:coop:${kr}:${rr}`,
    uniforms: [u32('n', count), u32('total', numel(r.reduced.dims)), ...uniformsOf(r)],
    lib: op === 'max' ? ['inf_f'] : [],
    decls: `var<workgroup> part: array<f32, ${COOP}>;`,
    main,
    workgroupSize: [COOP, 1, 1],
    workgroups: [count, 1, 1],
    fusable: true,
  }
}

function uniformsOf(r: Runs): ReturnType<typeof listUniforms> {
  return [
    ...listUniforms('kd', r.kept.dims),
    ...listUniforms('ks', r.kept.strides),
    ...listUniforms('rd', r.reduced.dims),
    ...listUniforms('rs', r.reduced.strides),
  ]
}

function reduceAnchor(op: Combine): AnchorGen<'sum' | 'max'> {
  return ({ eqn, argShapes, load }) => {
    const shape = shapeAt(argShapes, 0)
    const r = runs(shape, eqn.attrs.axes)
    const count = numel(eqn.shape)
    const total = numel(r.reduced.dims)
    const useCoop = count <= 1024 && total >= 1024 && count > 0
    const form = isColumns(shape, eqn.attrs.axes) ? columns : useCoop ? cooperative : serial
    return form(op, (index) => load(0, index), r, count)
  }
}

export const sumAnchor = reduceAnchor('sum')
export const maxAnchor = reduceAnchor('max')
