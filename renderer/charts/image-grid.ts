// A grid of small grey images (MNIST digits) drawn from one [n, 1, h, w] tensor, one pixel per
// pixel, scaled up by CSS. Ink is dark on a light ground, as the digits were written.

/** n, h, w of an [n, c, h, w] or [n, h, w] tensor (the first channel is drawn). */
function dims(shape: readonly number[]): [number, number, number] {
  const n = shape[0] ?? 0
  const tail = shape.slice(-2)
  return [n, tail[0] ?? 0, tail[1] ?? 0]
}

export function drawImageGrid(
  canvas: HTMLCanvasElement,
  data: ArrayLike<number>,
  shape: readonly number[],
  columns: number,
): void {
  const [n, h, w] = dims(shape)
  const ctx = canvas.getContext('2d')
  if (!ctx || n < 1 || h < 1 || w < 1) return
  const per = data.length / n
  const cols = Math.max(1, Math.min(columns, n))
  const gap = 1
  canvas.width = cols * (w + gap) - gap
  canvas.height = Math.ceil(n / cols) * (h + gap) - gap
  const image = ctx.createImageData(canvas.width, canvas.height)
  image.data.fill(255)
  for (let k = 0; k < n; k++) {
    const ox = (k % cols) * (w + gap)
    const oy = Math.floor(k / cols) * (h + gap)
    for (let i = 0; i < h * w; i++) {
      const v = Math.max(0, Math.min(1, data[k * per + i] ?? 0))
      const p = ((oy + Math.floor(i / w)) * canvas.width + ox + (i % w)) * 4
      image.data.fill(255 - Math.round(v * 255), p, p + 3)
    }
  }
  ctx.putImageData(image, 0, 0)
}
