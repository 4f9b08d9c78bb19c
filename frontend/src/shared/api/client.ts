// The typed API client: types come from openapi/openapi.json (openapi-typescript),
// calls from openapi-fetch. Every error body is a problem (RFC 9457) and is
// thrown as a ProblemError the UI branches on by `slug`.
import createClient from 'openapi-fetch'
import type { components, paths } from './schema'
import { getToken } from '../auth/token'
import { ACTING_FOR_HEADER, getActingFor } from '../auth/acting'

export type Schemas = components['schemas']
export type Problem = Schemas['Problem']

export const api = createClient<paths>({ baseUrl: '' })

api.use({
  onRequest({ request }) {
    const token = getToken()
    if (token) request.headers.set('Authorization', `Bearer ${token}`)
    // Rule 17: a guardian's requests for their child (not the list of
    // children itself, which is always the guardian's own).
    const child = getActingFor()
    if (child && new URL(request.url, location.origin).pathname !== '/api/v1/me/children') request.headers.set(ACTING_FOR_HEADER, child)
    return request
  },
})

/** The stable problem types of docs/problems.md. */
export type ProblemSlug =
  | 'validation-failed'
  | 'malformed-request'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'not-found'
  | 'method-not-allowed'
  | 'unauthorized'
  | 'forbidden'
  | 'slot-already-booked'
  | 'booking-not-active'
  | 'cancellation-window-closed'
  | 'rebook-mismatch'
  | 'not-bookable-online'
  | 'not-cancelable-online'
  | 'not-rebookable-online'
  | 'service-not-active'
  | 'terms-not-accepted'
  | 'not-eligible'
  | 'date-outside-horizon'
  | 'time-collides'
  | 'starts-in-past'
  | 'template-overlap'
  | 'invalid-date-range'
  | 'appointment-type-not-usable'
  | 'duplicate-name'
  | 'service-not-set-up'
  | 'invalid-selection'
  | 'invalid-register'
  | 'guardian-access-ended'
  | 'not-for-child'
  | 'invitation-used'
  | 'outside-invitation'
  | 'offer-gone'
  | 'booking-limit-reached'
  | 'starts-in-past'
  | 'idempotency-key-reused'
  | 'rate-limited'
  | 'service-unavailable'
  | 'internal-error'
  | 'network'

export class ProblemError extends Error {
  readonly slug: ProblemSlug
  readonly status: number
  readonly problem: Problem & Record<string, unknown>

  constructor(status: number, problem: Problem & Record<string, unknown>) {
    super(problem.detail ?? problem.title)
    this.status = status
    this.problem = problem
    this.slug = (problem.type.split('/').pop() ?? 'internal-error') as ProblemSlug
  }

  /** The per-field error codes of a `validation-failed` problem (`field` →
   * `code`). The server's `message` is English for integrators: the UI shows
   * its own text for the code (useI18n().fieldErrors). */
  fieldCodes(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const e of this.problem.errors ?? []) out[e.field] = e.code
    return out
  }
}

function isProblem(value: unknown): value is Problem & Record<string, unknown> {
  return typeof value === 'object' && value !== null && 'type' in value && 'status' in value
}

/** The data of a call, or a thrown ProblemError. */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response }
  try {
    result = await pending
  } catch {
    throw new ProblemError(0, { type: 'https://tidbok.se/problems/network', title: 'Network error', status: 0 })
  }
  if (result.error !== undefined || !result.response.ok) {
    const problem = isProblem(result.error)
      ? result.error
      : { type: 'https://tidbok.se/problems/internal-error', title: 'Error', status: result.response.status }
    throw new ProblemError(result.response.status, problem)
  }
  return result.data as T
}

/** PUTs a CSV file as text/csv (openapi-fetch would send a string as JSON):
 * the response's body, or a thrown ProblemError. */
export async function putCsv<T>(path: string, csv: string): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, { method: 'PUT', headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${getToken() ?? ''}` }, body: csv })
  } catch {
    throw new ProblemError(0, { type: 'https://tidbok.se/problems/network', title: 'Network error', status: 0 })
  }
  const body: unknown = await response.json().catch(() => undefined)
  if (!response.ok) {
    throw new ProblemError(response.status, isProblem(body) ? body : { type: 'https://tidbok.se/problems/internal-error', title: 'Error', status: response.status })
  }
  return body as T
}
