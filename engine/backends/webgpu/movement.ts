// Movement anchors: every output element reads one source element (or zero for padding), so
// each is a map whose epilogue can fuse. Permute, expand and slice are one strided read with
// axes collapsed; concat reads through [outer, axis, inner] coordinates, whatever the rank.

import type { AnchorCode, AnchorGen } from './anchor'
import { collapse, dotStrides, listUniforms, mapAnchor, shapeAt, splitIndex } from './anchor'
import type { Shape } from '../../ir'
import { numel, strides } from '../../ir'
import { i32, u32 } from './program'

/** out[i] = src[base + Σ coord·stride] over the collapsed output axes. */
function stridedRead(
  name: string,
  src: string,
  shape: Shape,
  srcStrides: readonly number[],
  base: number,
): AnchorCode {
  const c = collapse(shape, srcStrides)
  const rank = c.dims.length
  return mapAnchor({
    key: `${name}:${rank}`,
    count: numel(shape),
    uniforms: [u32('base', base), ...listUniforms('d', c.dims), ...listUniforms('s', c.strides)],
    value: `  ${splitIndex('i', 'd', rank)}
  return ${src}[${dotStrides(rank, 's', 'c', 'u.base')}];`,
  })
}

export const permuteAnchor: AnchorGen<'permute'> = ({ eqn, argShapes, arg }) => {
  const own = strides(shapeAt(argShapes, 0))
  const src = eqn.attrs.perm.map((p) => own[p] ?? 0)
  return stridedRead('permute', arg(0), eqn.shape, src, 0)
}

export const expandAnchor: AnchorGen<'expand'> = ({ eqn, argShapes, arg }) => {
  const shape = shapeAt(argShapes, 0)
  const own = strides(shape)
  const lead = eqn.shape.length - shape.length
  const src = eqn.shape.map((_, d) =>
    d < lead || shape[d - lead] === 1 ? 0 : (own[d - lead] ?? 0),
  )
  return stridedRead('expand', arg(0), eqn.shape, src, 0)
}

export const sliceAnchor: AnchorGen<'slice'> = ({ eqn, argShapes, arg }) => {
  const own = strides(shapeAt(argShapes, 0))
  const base = eqn.attrs.starts.reduce((o, s, d) => o + s * (own[d] ?? 0), 0)
  return stridedRead('slice', arg(0), eqn.shape, own, base)
}

/** Output coordinates shifted by `before`; outside the source they read zero. */
export const padAnchor: AnchorGen<'pad'> = ({ eqn, argShapes, arg }) => {
  const shape = shapeAt(argShapes, 0)
  const rank = shape.length
  const checks = shape.map(
    (_, d) =>
      `  let p${d} = i32(c${d}) - u.b${d};\n  if (p${d} < 0 || p${d} >= u.x${d}) { return 0.0; }`,
  )
  const offset = shape.map((_, d) => `u32(p${d}) * u.s${d}`).join(' + ') || '0u'
  return mapAnchor({
    key: `pad:${rank}`,
    count: numel(eqn.shape),
    uniforms: [
      ...listUniforms('d', eqn.shape),
      ...eqn.attrs.before.map((b, d) => i32(`b${d}`, b)),
      ...shape.map((x, d) => i32(`x${d}`, x)),
      ...listUniforms('s', strides(shape)),
    ],
    value: `  ${splitIndex('i', 'd', rank)}\n${checks.join('\n')}\n  return ${arg(0)}[${offset}];`,
  })
}

/** Each operand k owns axis positions [o_k, o_k + a_k) of the output. */
export const concatAnchor: AnchorGen<'concat'> = ({ eqn, argShapes, arg }) => {
  const axis = eqn.attrs.axis
  const inner = numel(eqn.shape.slice(axis + 1))
  const width = eqn.shape[axis] ?? 1
  let offset = 0
  const parts = argShapes.map((s, k) => {
    const a = s[axis] ?? 0
    const at = offset
    offset += a
    return { k, a, at }
  })
  const branches = parts.map(
    ({ k }) =>
      `  if (ax < u.o${k} + u.a${k}) {\n` +
      `    return ${arg(k)}[(outer * u.a${k} + ax - u.o${k}) * u.inner + rest];\n  }`,
  )
  return mapAnchor({
    key: `concat:${parts.length}`,
    count: numel(eqn.shape),
    uniforms: [
      u32('inner', inner),
      u32('width', width),
      ...parts.flatMap(({ k, a, at }) => [u32(`o${k}`, at), u32(`a${k}`, a)]),
    ],
    value:
      '  let rest = i % u.inner;\n  let ax = (i / u.inner) % u.width;\n' +
      `  let outer = i / (u.inner * u.width);\n${branches.join('\n')}\n  return 0.0;`,
  })
}
