// What the server's sanitiser will take out of a terms text (crates/api
// src/terms.rs: Markdown, then an allow-list of p, br, strong, em, ul, ol, li
// and a with http(s)/mailto/tel links). The preview tells the admin instead of
// dropping it silently.

const ALLOWED_TAGS = new Set(['p', 'br', 'strong', 'em', 'ul', 'ol', 'li', 'a'])
const CODE_TAGS = ['script', 'style', 'iframe', 'frame', 'object', 'embed', 'svg', 'math', 'img', 'link', 'meta', 'base', 'form', 'input', 'button', 'textarea', 'select']

export interface TermsRemovals {
  /** Scripts, event handlers, script links, frames, styles, images: removed with what they hold. */
  code: boolean
  /** Other HTML tags (not counted as code): the tag goes, its text stays. */
  tags: string[]
}

/** Markdown without code spans and fenced blocks, where markup is only text. */
function outsideCode(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '')
}

export function termsRemovals(markdown: string): TermsRemovals {
  const text = outsideCode(markdown)
  const code =
    new RegExp(`<\\s*\\/?\\s*(${CODE_TAGS.join('|')})\\b`, 'i').test(text) ||
    /<[^>]*\son[a-z]+\s*=/i.test(text) ||
    /(?:\]\(\s*|=\s*["']?\s*|<\s*)(?:javascript|vbscript|data)\s*:/i.test(text)
  const tags = new Set<string>()
  for (const match of text.matchAll(/<\s*\/?\s*([a-z][a-z0-9-]*)\b[^>]*>/gi)) {
    const tag = (match[1] ?? '').toLowerCase()
    if (!ALLOWED_TAGS.has(tag) && !CODE_TAGS.includes(tag)) tags.add(tag)
  }
  return { code, tags: [...tags].sort() }
}
