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
}

const Context = createContext<I18n | null>(null)

export function translate(lang: Lang, key: TextKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[lang]?.[key] ?? sv[key] ?? key
  return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text
}

export function problemMessage(lang: Lang, error: unknown): string {
  const slug = (error as ProblemError | undefined)?.slug
  const key = `problem.${slug}` as TextKey
  if (slug && key in sv) return translate(lang, key)
  return translate(lang, 'problem.internal-error')
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
