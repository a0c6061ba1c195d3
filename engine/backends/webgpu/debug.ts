// The backend's debug switch: globalThis.DENDRITE_DEBUG, a string or list of flags (tinygrad's
// DEBUG, tfjs's WEBGPU_PRINT_SHADER); in Node, the DENDRITE_DEBUG environment variable sets it
// (dawn-node.ts), so `DENDRITE_DEBUG=wgsl dendrite train … --backend webgpu` turns it on. 'wgsl'
// prints every program an executable runs (and the row gather's) with its name, each time one is
// made, whether its pipeline is compiled then or was cached on the device before.

/** Whether DENDRITE_DEBUG names `flag` ("wgsl", "wgsl,ir", or ["wgsl"]). */
export function debugFlag(flag: string): boolean {
  const d: unknown = (globalThis as { DENDRITE_DEBUG?: unknown }).DENDRITE_DEBUG
  if (typeof d === 'string') return d.split(/[\s,]+/).includes(flag)
  return Array.isArray(d) && d.includes(flag)
}

/** A program as the debug output and the studio's Program tab list it: name, key, WGSL. */
export function programText(name: string, key: string, wgsl: string): string {
  return `// ── ${name} ──\n// key ${key}\n${wgsl}`
}

export function printProgram(name: string, key: string, wgsl: string): void {
  console.log(programText(name, key, wgsl))
}
