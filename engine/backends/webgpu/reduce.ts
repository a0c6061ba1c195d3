// Sum and max over any set of axes. Axes are collapsed into kept and reduced runs first. Many
// outputs: one invocation per output loops over its reduced elements (nested loops, no
// divisions). Few outputs over many elements: a workgroup per output splits the work and
// combines partial results through workgroup memory.

import type { Shape } from '../../ir'
import { numel, strides } from '../../ir'
import type { AnchorCode, AnchorGen } from './anchor'
import { listUniforms, mapAnchor, shapeAt } from './anchor'
import { u32 } from './program'

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
const INIT: Record<Combine, string> = { sum: '0.0', max: '-inf_f()' }
const FOLD: Record<Combine, (acc: string, x: string) => string> = {
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
  part[lidx] = acc;
  workgroupBarrier();
  for (var w = ${COOP / 2}u; w > 0u; w = w / 2u) {
    if (lidx < w) {
      var a = part[lidx];
      let b = part[lidx + w];
      ${FOLD[op]('a', 'b')}
      part[lidx] = a;
    }
    workgroupBarrier();
  }
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
    return (useCoop ? cooperative : serial)(op, (index) => load(0, index), r, count)
  }
}

export const sumAnchor = reduceAnchor('sum')
export const maxAnchor = reduceAnchor('max')
