// Index and source anchors: gather (rows of a table, zero for invalid indices), scatter_add,
// full, iota and random_uniform (the CPU's lowbias32 counter hash, bit for bit).
//
// scatter_add is deterministic, without atomics: one invocation per column clears its column and
// then walks the indices in order, adding each row, the CPU's order exactly, so results match
// bit for bit. Its parallelism is the row width, which suits embedding gradients.

import { numel, strides } from '../../ir'
import type { AnchorGen } from './anchor'
import { mapAnchor, shapeAt } from './anchor'
import { FLAT_INDEX, WG, f32, flatWorkgroups, u32 } from './program'

/** WGSL: the row an index float names (rounded half up, as Math.round), or -1 when invalid. */
const ROW = `fn row_of(v: f32, rows: u32) -> i32 {
  let r = floor(v + 0.5);
  if (r < 0.0 || r >= f32(rows)) { return -1; }
  return i32(r);
}`

export const gatherAnchor: AnchorGen<'gather'> = ({ eqn, argShapes, arg }) => {
  const table = shapeAt(argShapes, 0)
  return mapAnchor({
    key: 'gather',
    count: numel(eqn.shape),
    uniforms: [u32('rows', table[0] ?? 0), u32('width', numel(table.slice(1)))],
    decls: ROW,
    value: `  let r = row_of(${arg(1)}[i / u.width], u.rows);
  if (r < 0) { return 0.0; }
  return ${arg(0)}[u32(r) * u.width + i % u.width];`,
  })
}

export const scatterAddAnchor: AnchorGen<'scatter_add'> = ({ eqn, argShapes, arg }) => {
  const count = numel(shapeAt(argShapes, 1))
  const width = count === 0 ? 0 : numel(shapeAt(argShapes, 0)) / count
  return {
    key: 'scatter_add',
    uniforms: [u32('n', width), u32('rows', eqn.attrs.rows), u32('count', count)],
    lib: [],
    decls: ROW,
    main: `let k = ${FLAT_INDEX};
  if (k >= u.n) { return; }
  for (var r = 0u; r < u.rows; r = r + 1u) { emit(r * u.n + k, 0.0); }
  for (var j = 0u; j < u.count; j = j + 1u) {
    let r = row_of(${arg(1)}[j], u.rows);
    if (r < 0) { continue; }
    let at = u32(r) * u.n + k;
    emit(at, w0[at] + ${arg(0)}[j * u.n + k]);
  }`,
    workgroupSize: [WG, 1, 1],
    workgroups: flatWorkgroups(width),
    fusable: false,
  }
}

export const fullAnchor: AnchorGen<'full'> = ({ eqn }) =>
  mapAnchor({
    key: 'full',
    count: numel(eqn.shape),
    uniforms: [f32('value', eqn.attrs.value)],
    value: '  return u.value;',
  })

export const iotaAnchor: AnchorGen<'iota'> = ({ eqn }) => {
  const { shape, axis } = eqn.attrs
  return mapAnchor({
    key: 'iota',
    count: numel(eqn.shape),
    uniforms: [u32('step', strides(shape)[axis] ?? 1), u32('size', shape[axis] ?? 1)],
    value: '  return f32((i / u.step) % u.size);',
  })
}

export const randomAnchor: AnchorGen<'random_uniform'> = ({ eqn, arg }) =>
  mapAnchor({
    key: 'random_uniform',
    count: numel(eqn.shape),
    uniforms: [u32('seed', eqn.attrs.seed >>> 0)],
    lib: ['hash32'],
    value: `  let key = bitcast<u32>(i32(floor(${arg(0)}[0] + 0.5)));
  let base = hash32(key ^ hash32(u.seed));
  return f32(hash32(i ^ base) >> 8u) / 16777216.0;`,
  })
