// WGSL helper functions that generated kernels include by name when they use them: the CPU's
// lowbias32 hash (bit-exact, so dropout masks match), erf and tanh accurate to float32 near zero
// (WGSL has no erf, and tanh by exponentials loses relative accuracy there), sin and cos to
// float32 accuracy, and pow with the CPU's answers for negative bases and zero exponents.

// A const-expression may not be infinite or NaN, so these come from a function variable.
const LIB = {
  inf_f: `fn inf_f() -> f32 {
  var bits = 0x7f800000u;
  return bitcast<f32>(bits);
}`,
  nan_f: `fn nan_f() -> f32 {
  var bits = 0x7fc00000u;
  return bitcast<f32>(bits);
}`,
  hash32: `fn hash32(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}`,
  // |x| < 0.5: Taylor series; else 1 - erfc by Numerical Recipes' erfcc (error < 1.2e-7).
  erf_f: `fn erf_f(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) {
    let z = x * x;
    return x * (1.1283791671 + z * (-0.3761263890 + z * (0.1128379167 + z * (-0.0268661706
      + z * (0.0052239776 + z * -0.0008548327)))));
  }
  let t = 1.0 / (1.0 + 0.5 * a);
  let p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
    + t * 0.17087277))))))));
  return sign(x) * (1.0 - t * exp(p - a * a));
}`,
  // Cephes tanhf: a polynomial below 0.625, exponentials above.
  tanh_f: `fn tanh_f(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.625) {
    let z = x * x;
    return x + x * z * (-0.333332819422 + z * (0.133314422036 + z * (-0.0537397155531
      + z * (0.0206390887954 + z * -0.00570498872745))));
  }
  if (a > 9.0) { return sign(x); }
  return sign(x) * (1.0 - 2.0 / (exp(2.0 * a) + 1.0));
}`,
  pow_f: `fn pow_f(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (a == 0.0) { return select(0.0, inf_f(), b < 0.0); }
  let m = pow(abs(a), b);
  if (a > 0.0) { return m; }
  if (fract(b) != 0.0) { return nan_f(); }
  return select(m, -m, fract(b * 0.5) != 0.0);
}`,
  // Cephes sinf/cosf: Cody-Waite reduction by π/2 in three parts, then minimax polynomials
  // (WGSL lets sin and cos be off by 2^-11, and SwiftShader's are).
  sincos_f: `fn sincos_f(x: f32, quarter: i32) -> f32 {
  let j = floor(x * 0.636619772367581 + 0.5);
  let r = ((x - j * 1.5703125) - j * 4.837512969970703125e-4) - j * 7.549789954891882e-8;
  let z = r * r;
  let s = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let c = 1.0 - 0.5 * z
    + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  let q = (i32(j) + quarter) & 3;
  if (q == 0) { return s; }
  if (q == 1) { return c; }
  if (q == 2) { return -s; }
  return -c;
}`,
  sin_f: `fn sin_f(x: f32) -> f32 { return sincos_f(x, 0); }`,
  cos_f: `fn cos_f(x: f32) -> f32 { return sincos_f(x, 1); }`,
  max_f: `fn max_f(a: f32, b: f32) -> f32 { return select(b, a, a >= b || a != a); }`,
  min_f: `fn min_f(a: f32, b: f32) -> f32 { return select(b, a, a <= b || a != a); }`,
} as const

export type LibName = keyof typeof LIB

const NEEDS: Partial<Record<LibName, readonly LibName[]>> = {
  pow_f: ['inf_f', 'nan_f'],
  sin_f: ['sincos_f'],
  cos_f: ['sincos_f'],
}

/** The helpers' source (and the helpers they call), each once, in a stable order. */
export function libSource(names: Iterable<LibName>): string {
  const wanted = new Set<LibName>()
  for (const n of names) for (const m of [n, ...(NEEDS[n] ?? [])]) wanted.add(m)
  return (Object.keys(LIB) as LibName[]) // keys of a literal table: exactly LibName
    .filter((n) => wanted.has(n))
    .map((n) => LIB[n])
    .join('\n')
}
