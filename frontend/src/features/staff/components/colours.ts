// Light colours for appointment types: dark text keeps AA contrast on each.
const PALETTE = ['#cfe2ff', '#d1e7dd', '#fff3cd', '#f8d7da', '#e2d9f3', '#cff4fc', '#ffe5d0', '#e9ecef', '#d2f4ea', '#f7d6e6']

/** A stable colour per type, by its place among the types shown. */
export function typeColours(typeIds: string[]): Map<string, string> {
  const unique = [...new Set(typeIds)].sort()
  return new Map(unique.map((id, i) => [id, PALETTE[i % PALETTE.length] ?? '#e9ecef']))
}
