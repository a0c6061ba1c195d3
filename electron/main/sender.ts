// Which callers the Bridge answers: only the studio window's own top-level document. Kept apart
// from Electron's objects so that Node tests check the rule itself.

export interface SenderInfo {
  /** The call came from the studio window's WebContents. */
  readonly fromStudio: boolean
  /** The calling frame's URL, or null when the frame is gone. */
  readonly frameUrl: string | null
  /** The calling frame is the top-level one (not an iframe). */
  readonly topLevel: boolean
}

/** A page URL without query or fragment; file:// URLs have an opaque origin ('null'). */
export function documentOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    return `${parsed.origin === 'null' ? parsed.protocol : parsed.origin}${parsed.pathname}`
  } catch {
    return null
  }
}

/** The reason a caller is refused, or null when it is the studio page. */
export function refusal(sender: SenderInfo, studioUrl: string): string | null {
  if (!sender.fromStudio) return 'not the studio window'
  if (sender.frameUrl === null) return 'a frame that is gone'
  if (!sender.topLevel) return `a subframe (${sender.frameUrl})`
  const doc = documentOf(sender.frameUrl)
  if (doc === null || doc !== documentOf(studioUrl)) return `another document (${sender.frameUrl})`
  return null
}
