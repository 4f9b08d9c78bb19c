import { useQuery } from '@tanstack/react-query'
import { api, call, type Schemas } from '../../../shared/api/client'

const PAGE = 500
const MAX_PAGES = 10

export const getCancellations = (unitId: string, since: string, limit = PAGE) =>
  call(api.GET('/api/v1/units/{unit_id}/cancellations', { params: { path: { unit_id: unitId }, query: { since, limit } } }))

/** The newest first, as staff read a feed. */
export function newestFirst(entries: Schemas['FeedEntryResponse'][]): Schemas['FeedEntryResponse'][] {
  return entries
    .map((e, i) => [e, i] as const)
    .sort(([a, i], [b, j]) => new Date(b.at).getTime() - new Date(a.at).getTime() || j - i)
    .map(([e]) => e)
}

/** Everything since `since`: the server pages oldest first (`next_since`), so
 * the whole range is read before it is turned round. */
export async function getWholeFeed(unitId: string, since: string): Promise<Schemas['FeedEntryResponse'][]> {
  const all: Schemas['FeedEntryResponse'][] = []
  let from = since
  for (let page = 0; page < MAX_PAGES; page++) {
    const feed = await getCancellations(unitId, from)
    all.push(...feed.entries)
    if (feed.entries.length < PAGE || feed.next_since === from) break
    from = feed.next_since
  }
  return newestFirst(all)
}

export const useCancellations = (unitId: string | null, since: string) =>
  useQuery({ queryKey: ['units', unitId, 'cancellations', since], queryFn: () => getWholeFeed(unitId ?? '', since), enabled: unitId !== null })
