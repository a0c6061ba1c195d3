// Palette search: which layers a query finds, best first. Names and aliases count most ("fc",
// "linear" and "perceptron" find Dense); words in the description count a little.

export interface Searchable {
  readonly type: string
  readonly title: string
  readonly aliases: readonly string[]
  readonly description: string
}

/** Lower case without spaces, dashes or underscores: "Leaky ReLU" and "leaky-relu" agree. */
export function squash(text: string): string {
  return text.toLowerCase().replace(/[\s\-_·.]+/g, '')
}

/** How well a layer matches a query: higher is better, null is no match. */
export function searchScore(layer: Searchable, query: string): number | null {
  const q = squash(query)
  if (q === '') return 0
  const names = [layer.title, layer.type].map(squash)
  const aliases = layer.aliases.map(squash)
  const scored: [readonly string[], number][] = [
    [names, 100],
    [aliases, 90],
  ]
  for (const [list, exact] of scored) if (list.includes(q)) return exact
  for (const [list, exact] of scored) if (list.some((n) => n.startsWith(q))) return exact - 30
  for (const [list, exact] of scored) if (list.some((n) => n.includes(q))) return exact - 60
  return describes(layer.description, query) ? 10 : null
}

/** Every word of the query starts a word of the description. */
function describes(description: string, query: string): boolean {
  const words = description.toLowerCase().split(/[^\p{L}\p{N}]+/u)
  const wanted = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
  return (
    wanted.length > 0 && wanted.every((w) => w.length > 1 && words.some((d) => d.startsWith(w)))
  )
}

/** The layers a query finds, best first; ties keep the registry's (palette) order. */
export function searchLayers<L extends Searchable>(all: readonly L[], query: string): L[] {
  return all
    .map((layer, index) => ({ layer, index, score: searchScore(layer, query) }))
    .filter((hit): hit is { layer: L; index: number; score: number } => hit.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((hit) => hit.layer)
}
