// Phone numbers as people write them ("046-15 25 35", "+46 46 15 25 35")
// and as a phone dials them.

/** The `tel:` address of a phone number: its digits, with a leading + kept
 * (and the "(0)" of "+46 (0)42 …" dropped, which is not dialled from
 * abroad); null when there is no digit to dial. */
export function telHref(phone: string): string | null {
  const trimmed = phone.trim()
  const digits = (trimmed.startsWith('+') ? trimmed.replace('(0)', '') : trimmed).replace(/\D/g, '')
  if (!digits) return null
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`
}

// A Swedish phone number inside running text: starting with 0 or +46, then
// digits in groups split by single spaces or dashes ("046-15 25 35",
// "+46 46 15 25 35", "0701234567"). Dates ("2026-06-02"), times ("08:30")
// and personal identity numbers ("19850314-2385") do not start that way.
const IN_TEXT = /(?:\+46[ -]?|\b0)\d{1,3}(?:[ -]?\d{2,4}){1,4}\b/g

export type TextPart = { text: string } | { phone: string }

/** Running text cut into plain parts and phone numbers, for linking the numbers. */
export function splitPhones(text: string): TextPart[] {
  const parts: TextPart[] = []
  let at = 0
  for (const match of text.matchAll(IN_TEXT)) {
    const digits = match[0].replace(/\D/g, '')
    if (digits.length < 7) continue
    if (match.index > at) parts.push({ text: text.slice(at, match.index) })
    parts.push({ phone: match[0] })
    at = match.index + match[0].length
  }
  if (at < text.length) parts.push({ text: text.slice(at) })
  return parts
}
