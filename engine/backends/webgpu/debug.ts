// The backend's debug switch: globalThis.DENDRITE_DEBUG, a string or list of flags (tinygrad's
// DEBUG, tfjs's WEBGPU_PRINT_SHADER). 'wgsl' prints every generated program with its name when
// its pipeline is made.

/** Whether DENDRITE_DEBUG names `flag` ("wgsl", "wgsl,ir", or ["wgsl"]). */
export function debugFlag(flag: string): boolean {
  const d: unknown = (globalThis as { DENDRITE_DEBUG?: unknown }).DENDRITE_DEBUG
  if (typeof d === 'string') return d.split(/[\s,]+/).includes(flag)
  return Array.isArray(d) && d.includes(flag)
}

export function printProgram(name: string, key: string, wgsl: string): void {
  console.log(`// ── ${name} ──\n// key ${key}\n${wgsl}`)
}
