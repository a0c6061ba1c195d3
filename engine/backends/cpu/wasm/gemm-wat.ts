// The WebAssembly text of the SIMD matrix multiply (BLIS-style): operands are packed into
// contiguous panels (which is where transposes are absorbed), and a register-blocked MR×NR
// micro-kernel of f32x4 accumulators runs over them. The loops over blocks stay in JavaScript
// (gemm-wasm.ts); scripts/build-cpu-wasm.ts assembles this text into kernels-wasm.ts.

/** Rows of A and columns of B per micro-kernel tile. */
export const MR = 4
export const NR = 8
/** Block sizes: rows of A (MC), depth (KC) and columns of B (NC) packed at a time. */
export const MC = 64
export const KC = 256
export const NC = 1024
/** Floats of packing workspace one thread's gemm needs. */
export const GEMM_WORKSPACE = MC * KC + KC * NC + MR * NR

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)
const get = (name: string): string => `(local.get $${name})`
const set = (name: string, value: string): string => `(local.set $${name} ${value})`
const add = (a: string, b: string): string => `(i32.add ${a} ${b})`
const int = (n: number): string => `(i32.const ${n})`

/** acc(r, q): the accumulator of tile row r, columns 4q…4q+3. */
const acc = (r: number, q: number): string => `c${r}_${q}`
const QUADS = NR / 4

function microKernel(): string {
  const locals = range(MR)
    .flatMap((r) => range(QUADS).map((q) => `(local $${acc(r, q)} v128)`))
    .join(' ')
  const loadB = range(QUADS).map((q) => set(`b${q}`, `(v128.load offset=${16 * q} ${get('bp')})`))
  const fma = range(MR).flatMap((r) => [
    set('a', `(v128.load32_splat offset=${4 * r} ${get('ap')})`),
    ...range(QUADS).map((q) =>
      set(acc(r, q), `(f32x4.add ${get(acc(r, q))} (f32x4.mul ${get('a')} ${get(`b${q}`)}))`),
    ),
  ])
  const store = (accumulate: boolean): string[] =>
    range(MR).flatMap((r) => [
      ...range(QUADS).map((q) => {
        const old = `(v128.load offset=${16 * q} ${get('c')})`
        const value = accumulate ? `(f32x4.add ${old} ${get(acc(r, q))})` : get(acc(r, q))
        return `(v128.store offset=${16 * q} ${get('c')} ${value})`
      }),
      set('c', add(get('c'), get('ldc'))),
    ])
  return `
  ;; C[MR×NR at c, row pitch ldc bytes] (+)= Ap(k×MR panel) · Bp(k×NR panel)
  (func $micro (param $k i32) (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32)
      (param $acc i32)
    (local $end i32) (local $a v128) ${range(QUADS)
      .map((q) => `(local $b${q} v128)`)
      .join(' ')} ${locals}
    ${set('end', add(get('ap'), `(i32.mul ${get('k')} ${int(MR * 4)})`))}
    (if (i32.gt_s ${get('k')} ${int(0)}) (then
      (loop $depth
        ${[...loadB, ...fma].join('\n        ')}
        ${set('ap', add(get('ap'), int(MR * 4)))}
        ${set('bp', add(get('bp'), int(NR * 4)))}
        (br_if $depth (i32.lt_u ${get('ap')} ${get('end')})))))
    (if ${get('acc')}
      (then ${store(true).join('\n        ')})
      (else ${store(false).join('\n        ')})))`
}

/**
 * Packs `lanes` lanes of depth k into panels of R lanes ([panel][p][R], zero-padded): lane l
 * at depth p is read from src + l·rs + p·cs (bytes). For A the lanes are rows, for B columns.
 */
function pack(name: string, R: number): string {
  const full = range(R)
    .map((l) => {
      const from = `(f32.load ${add(get('s'), `(i32.mul ${get('rs')} ${int(l)})`)})`
      return `(f32.store offset=${4 * l} ${get('dst')} ${from})`
    })
    .join('\n            ')
  const contiguous = range(R / 4)
    .map(
      (q) => `(v128.store offset=${16 * q} ${get('dst')} (v128.load offset=${16 * q} ${get('s')}))`,
    )
    .join(' ')
  return `
  (func $${name} (export "${name}") (param $src i32) (param $rs i32) (param $cs i32)
      (param $lanes i32) (param $k i32) (param $dst i32)
    (local $l0 i32) (local $n i32) (local $p i32) (local $s i32) (local $l i32)
    (block $done (loop $panels
      (br_if $done (i32.ge_s ${get('l0')} ${get('lanes')}))
      ${set('n', `(i32.sub ${get('lanes')} ${get('l0')})`)}
      ${set('p', int(0))}
      (block $depthDone (loop $depth
        (br_if $depthDone (i32.ge_s ${get('p')} ${get('k')}))
        ${set('s', add(add(get('src'), `(i32.mul ${get('l0')} ${get('rs')})`), `(i32.mul ${get('p')} ${get('cs')})`))}
        (if (i32.ge_s ${get('n')} ${int(R)})
          (then (if (i32.eq ${get('rs')} ${int(4)})
            (then ${contiguous})
            (else
            ${full})))
          (else
            ${set('l', int(0))}
            (loop $lane
              (f32.store ${add(get('dst'), `(i32.shl ${get('l')} ${int(2)})`)}
                (if (result f32) (i32.lt_s ${get('l')} ${get('n')})
                  (then (f32.load ${add(get('s'), `(i32.mul ${get('l')} ${get('rs')})`)}))
                  (else (f32.const 0))))
              ${set('l', add(get('l'), int(1)))}
              (br_if $lane (i32.lt_s ${get('l')} ${int(R)})))))
        ${set('dst', add(get('dst'), int(R * 4)))}
        ${set('p', add(get('p'), int(1)))}
        (br $depth)))
      ${set('l0', add(get('l0'), int(R)))}
      (br $panels))))`
}

/** C (mc×nc at c) (+)= packed A (mc×kc) · packed B (kc×nc); ragged tiles go through `tile`. */
function macroKernel(): string {
  return `
  (func $macro (export "macro") (param $mc i32) (param $nc i32) (param $kc i32) (param $ap i32)
      (param $bp i32) (param $c i32) (param $ldc i32) (param $acc i32) (param $tile i32)
    (local $i i32) (local $j i32) (local $mr i32) (local $nr i32) (local $apan i32)
    (local $bpan i32) (local $cij i32) (local $r i32) (local $q i32) (local $to i32)
    (local $v f32)
    (block $jDone (loop $jLoop
      (br_if $jDone (i32.ge_s ${get('j')} ${get('nc')}))
      ${set('nr', `(i32.sub ${get('nc')} ${get('j')})`)}
      ${set('bpan', add(get('bp'), `(i32.mul ${get('j')} (i32.shl ${get('kc')} ${int(2)}))`))}
      ${set('i', int(0))}
      (block $iDone (loop $iLoop
        (br_if $iDone (i32.ge_s ${get('i')} ${get('mc')}))
        ${set('mr', `(i32.sub ${get('mc')} ${get('i')})`)}
        ${set('apan', add(get('ap'), `(i32.mul ${get('i')} (i32.shl ${get('kc')} ${int(2)}))`))}
        ${set('cij', add(add(get('c'), `(i32.mul ${get('i')} ${get('ldc')})`), `(i32.shl ${get('j')} ${int(2)})`))}
        (if (i32.and (i32.ge_s ${get('mr')} ${int(MR)}) (i32.ge_s ${get('nr')} ${int(NR)}))
          (then (call $micro ${get('kc')} ${get('apan')} ${get('bpan')} ${get('cij')} ${get('ldc')} ${get('acc')}))
          (else
            (call $micro ${get('kc')} ${get('apan')} ${get('bpan')} ${get('tile')} ${int(NR * 4)} ${int(0)})
            ${set('r', int(0))}
            (loop $rows
              ${set('q', int(0))}
              (loop $cols
                ${set('to', add(add(get('cij'), `(i32.mul ${get('r')} ${get('ldc')})`), `(i32.shl ${get('q')} ${int(2)})`))}
                ${set('v', `(f32.load ${add(get('tile'), `(i32.shl ${add(`(i32.mul ${get('r')} ${int(NR)})`, get('q'))} ${int(2)})`)})`)}
                (f32.store ${get('to')} (if (result f32) ${get('acc')}
                  (then (f32.add (f32.load ${get('to')}) ${get('v')})) (else ${get('v')})))
                ${set('q', add(get('q'), int(1)))}
                (br_if $cols (i32.lt_s ${get('q')} (select ${get('nr')} ${int(NR)} (i32.lt_s ${get('nr')} ${int(NR)})))))
              ${set('r', add(get('r'), int(1)))}
              (br_if $rows (i32.lt_s ${get('r')} (select ${get('mr')} ${int(MR)} (i32.lt_s ${get('mr')} ${int(MR)})))))))
        ${set('i', add(get('i'), int(MR)))}
        (br $iLoop)))
      ${set('j', add(get('j'), int(NR)))}
      (br $jLoop))))`
}

const min = (a: string, b: string): string => `(select ${a} ${b} (i32.lt_s ${a} ${b}))`

/**
 * C (M×N at c, row pitch ldc bytes) = A·B (+= when acc); strides in bytes; ws: workspace of
 * GEMM_WORKSPACE floats. BLIS's loops: NC columns of B, KC of depth, MC rows of A.
 */
function gemmDriver(): string {
  return `
  (func $gemm (export "gemm") (param $M i32) (param $N i32) (param $K i32) (param $a i32)
      (param $ars i32) (param $acs i32) (param $b i32) (param $brs i32) (param $bcs i32)
      (param $c i32) (param $ldc i32) (param $acc i32) (param $ws i32)
    (local $jc i32) (local $pc i32) (local $ic i32) (local $nc i32) (local $kc i32)
    (local $mc i32) (local $bp i32) (local $tile i32) (local $accNow i32)
    ${set('bp', add(get('ws'), int(MC * KC * 4)))}
    ${set('tile', add(get('bp'), int(KC * NC * 4)))}
    (block $jDone (loop $jLoop
      (br_if $jDone (i32.ge_s ${get('jc')} ${get('N')}))
      ${set('nc', min(int(NC), `(i32.sub ${get('N')} ${get('jc')})`))}
      ${set('pc', int(0))}
      (block $pDone (loop $pLoop
        (br_if $pDone (i32.ge_s ${get('pc')} ${get('K')}))
        ${set('kc', min(int(KC), `(i32.sub ${get('K')} ${get('pc')})`))}
        (call $packB ${add(add(get('b'), `(i32.mul ${get('pc')} ${get('brs')})`), `(i32.mul ${get('jc')} ${get('bcs')})`)}
          ${get('bcs')} ${get('brs')} ${get('nc')} ${get('kc')} ${get('bp')})
        ${set('accNow', `(i32.or ${get('acc')} (i32.gt_s ${get('pc')} ${int(0)}))`)}
        ${set('ic', int(0))}
        (block $iDone (loop $iLoop
          (br_if $iDone (i32.ge_s ${get('ic')} ${get('M')}))
          ${set('mc', min(int(MC), `(i32.sub ${get('M')} ${get('ic')})`))}
          (call $packA ${add(add(get('a'), `(i32.mul ${get('ic')} ${get('ars')})`), `(i32.mul ${get('pc')} ${get('acs')})`)}
            ${get('ars')} ${get('acs')} ${get('mc')} ${get('kc')} ${get('ws')})
          (call $macro ${get('mc')} ${get('nc')} ${get('kc')} ${get('ws')} ${get('bp')}
            ${add(add(get('c'), `(i32.mul ${get('ic')} ${get('ldc')})`), `(i32.shl ${get('jc')} ${int(2)})`)}
            ${get('ldc')} ${get('accNow')} ${get('tile')})
          ${set('ic', add(get('ic'), int(MC)))}
          (br $iLoop)))
        ${set('pc', add(get('pc'), int(KC)))}
        (br $pLoop)))
      ${set('jc', add(get('jc'), int(NC)))}
      (br $jLoop))))`
}

/**
 * A helper thread's loop: control block at ctl holds [seq, done, ready, 13 gemm arguments];
 * each new seq runs one gemm with this thread's workspace, then done = seq is notified.
 */
function serveLoop(): string {
  const argAt = (k: number): string => `(i32.load offset=${12 + 4 * k} ${get('ctl')})`
  return `
  (func (export "serve") (param $ctl i32) (param $ws i32)
    (local $seen i32) (local $seq i32)
    (i32.atomic.store offset=8 ${get('ctl')} ${int(1)})
    (drop (memory.atomic.notify offset=8 ${get('ctl')} ${int(1)}))
    (loop $forever
      (drop (memory.atomic.wait32 ${get('ctl')} ${get('seen')} (i64.const -1)))
      ${set('seq', `(i32.atomic.load ${get('ctl')})`)}
      (if (i32.ne ${get('seq')} ${get('seen')}) (then
        ${set('seen', get('seq'))}
        (call $gemm ${range(12).map(argAt).join(' ')} ${get('ws')})
        (i32.atomic.store offset=4 ${get('ctl')} ${get('seq')})
        (drop (memory.atomic.notify offset=4 ${get('ctl')} ${int(1)}))))
      (br $forever)))`
}

export function gemmWat(): string {
  return [
    microKernel(),
    pack('packA', MR),
    pack('packB', NR),
    macroKernel(),
    gemmDriver(),
    serveLoop(),
  ].join('\n')
}
