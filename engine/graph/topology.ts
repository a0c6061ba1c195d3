// Topological order of a graph's nodes (Kahn's algorithm), and the nodes caught in cycles.

export interface Link {
  source: { node: string }
  target: { node: string }
}

export function topologicalOrder(
  ids: readonly string[],
  links: readonly Link[],
): { order: string[]; cyclic: string[] } {
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]))
  const next = new Map<string, string[]>()
  for (const l of links) {
    indegree.set(l.target.node, (indegree.get(l.target.node) ?? 0) + 1)
    const list = next.get(l.source.node) ?? []
    list.push(l.target.node)
    next.set(l.source.node, list)
  }
  const ready = ids.filter((id) => indegree.get(id) === 0)
  const order: string[] = []
  for (let id = ready.shift(); id !== undefined; id = ready.shift()) {
    order.push(id)
    for (const t of next.get(id) ?? []) {
      const d = (indegree.get(t) ?? 0) - 1
      indegree.set(t, d)
      if (d === 0) ready.push(t)
    }
  }
  const placed = new Set(order)
  const stuck = ids.filter((id) => !placed.has(id))
  // Nodes downstream of a cycle are stuck too; only those that reach themselves are in one.
  return { order, cyclic: stuck.filter((id) => reachesItself(id, next, placed)) }
}

function reachesItself(start: string, next: Map<string, string[]>, placed: Set<string>): boolean {
  const seen = new Set<string>()
  const stack = [...(next.get(start) ?? [])]
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (id === start) return true
    if (seen.has(id) || placed.has(id)) continue
    seen.add(id)
    stack.push(...(next.get(id) ?? []))
  }
  return false
}
