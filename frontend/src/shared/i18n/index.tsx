// Swedish by default, English as a switch. Texts are dictionaries keyed by
// the same names in both languages; `t` fills in {placeholders}.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { en } from './en'
import { sv, type TextKey } from './sv'
import type { ProblemError } from '../api/client'

export type Lang = 'sv' | 'en'
export type { TextKey }

const dictionaries: Record<Lang, Record<TextKey, string>> = { sv, en }
const STORAGE = 'tidbok.lang'

interface I18n {
  lang: Lang
  setLang: (lang: Lang) => void
  t: (key: TextKey, vars?: Record<string, string | number>) => string
  /** A human message for a problem, in the current language. */
  problem: (error: unknown) => string
}

const Context = createContext<I18n | null>(null)

export function translate(lang: Lang, key: TextKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[lang][key] ?? sv[key] ?? key
  return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text
}

export function problemMessage(lang: Lang, error: unknown): string {
  const slug = (error as ProblemError | undefined)?.slug
  const key = `problem.${slug}` as TextKey
  if (slug && key in sv) return translate(lang, key)
  return translate(lang, 'problem.internal-error')
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => initial ?? ((localStorage.getItem(STORAGE) as Lang | null) === 'en' ? 'en' : 'sv'))
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE, next)
    setLangState(next)
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
