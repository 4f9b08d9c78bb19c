// Swedish by default, English as a switch. Texts are dictionaries keyed by
// the same names in both languages; `t` fills in {placeholders}. English is
// its own chunk, fetched when chosen: most residents never download it.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { sv, type TextKey } from './sv'
import type { ProblemError } from '../api/client'

export type Lang = 'sv' | 'en'
export type { TextKey }

type Dictionary = Record<TextKey, string>
const dictionaries: Partial<Record<Lang, Dictionary>> = { sv }
const STORAGE = 'tidbok.lang'

/** The dictionary of `lang`, fetched once. */
export async function loadLanguage(lang: Lang): Promise<void> {
  if (!dictionaries[lang]) dictionaries[lang] = lang === 'en' ? (await import('./en')).en : sv
}

interface I18n {
  lang: Lang
  setLang: (lang: Lang) => void
  t: (key: TextKey, vars?: Record<string, string | number>) => string
  /** A human message for a problem, in the current language. */
  problem: (error: unknown) => string
  /** The per-field messages of a `validation-failed` problem, by field name. */
  fieldErrors: (error: unknown) => Record<string, string>
}

const Context = createContext<I18n | null>(null)

export function translate(lang: Lang, key: TextKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[lang]?.[key] ?? sv[key] ?? key
  return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text
}

export const isTextKey = (key: string): key is TextKey => key in sv
const isKey = isTextKey

/** The text of a problem by its type (`problem.<slug>`), never the server's
 * English `title` or `detail`. A problem carrying an extension member that a
 * more precise text uses (`problem.<slug>.<member>`, e.g. the `max` of
 * booking-limit-reached) gets that text, filled in. */
export function problemMessage(lang: Lang, error: unknown): string {
  const problem = error as Partial<ProblemError> | undefined
  const key = `problem.${problem?.slug}`
  if (!problem?.slug || !isKey(key)) return translate(lang, 'problem.internal-error')
  const vars: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(problem.problem ?? {})) {
    if (typeof value === 'number' || typeof value === 'string') vars[name] = value
  }
  for (const name of Object.keys(vars)) {
    const precise = `${key}.${name}`
    if (isKey(precise)) return translate(lang, precise, vars)
  }
  return translate(lang, key, vars)
}

/** The text of a field error code (`fieldError.<code>`), or a general one for a code without its own text. */
export function fieldMessage(lang: Lang, code: string): string {
  const key = `fieldError.${code}`
  return translate(lang, isKey(key) ? key : 'fieldError.other')
}

export function fieldMessages(lang: Lang, error: unknown): Record<string, string> {
  const codes = (error as Partial<ProblemError> | undefined)?.fieldCodes?.() ?? {}
  return Object.fromEntries(Object.entries(codes).map(([field, code]) => [field, fieldMessage(lang, code)]))
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const wanted = initial ?? ((localStorage.getItem(STORAGE) as Lang | null) === 'en' ? 'en' : 'sv')
  // Until a chosen language has arrived, the page stays in the one it has.
  const [lang, setLangState] = useState<Lang>(() => (dictionaries[wanted] ? wanted : 'sv'))
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE, next)
    void loadLanguage(next).then(() => setLangState(next))
  }, [])
  useEffect(() => {
    if (wanted !== 'sv') setLang(wanted)
    // Only the language stored at start; later switches go through setLang.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      problem: (error) => problemMessage(lang, error),
      fieldErrors: (error) => fieldMessages(lang, error),
    }),
    [lang, setLang],
  )
  return <Context.Provider value={value}>{children}</Context.Provider>
}

export function useI18n(): I18n {
  const context = useContext(Context)
  if (!context) throw new Error('useI18n outside I18nProvider')
  return context
}
