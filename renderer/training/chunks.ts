// How much to train per request: whole epochs lasting about CHUNK_SECONDS, so the engine's
// report at the end of each request draws a point even on runs that last half a second.

export const CHUNK_SECONDS = 0.1

/**
 * The step a training request should stop at; null means "train to the end" (epochs longer
 * than a chunk, where the engine reports inside the epoch anyway). Without a measured rate yet,
 * the first request ends at the current epoch's end.
 */
export function chunkEnd(
  p: { step: number; stepsPerEpoch: number; totalSteps: number },
  stepsPerSecond: number | null,
): number | null {
  const firstEnd = (Math.floor(p.step / p.stepsPerEpoch) + 1) * p.stepsPerEpoch
  if (stepsPerSecond === null) return Math.min(firstEnd, p.totalSteps)
  const epochs = Math.floor((stepsPerSecond * CHUNK_SECONDS) / p.stepsPerEpoch)
  if (epochs < 1) return null
  return Math.min(firstEnd + (epochs - 1) * p.stepsPerEpoch, p.totalSteps)
}
