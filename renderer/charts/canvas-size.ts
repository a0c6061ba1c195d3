// Sizes a canvas's backing store to its CSS box times the device pixel ratio, so drawings stay
// sharp on any screen; returns the size in device pixels and the ratio.

export function fitToBox(canvas: HTMLCanvasElement): { w: number; h: number; dpr: number } {
  const dpr = window.devicePixelRatio || 1
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr))
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr))
  if (canvas.width !== w) canvas.width = w
  if (canvas.height !== h) canvas.height = h
  return { w, h, dpr }
}
