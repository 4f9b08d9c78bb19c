import { describe, expect, it } from 'vitest'
import { splitPhones, telHref } from './phone'

describe('a phone number as a tel: link', () => {
  it('keeps only the digits of a Swedish number written with a dash and spaces', () => {
    expect(telHref('046-15 25 35')).toBe('tel:046152535')
  })

  it('keeps a leading plus of an international number', () => {
    expect(telHref(' +46 42-10 20 30')).toBe('tel:+4642102030')
  })

  it('drops the (0) that is not dialled from abroad', () => {
    expect(telHref('+46 (0)42-10 20 30')).toBe('tel:+4642102030')
  })

  it('drops a plus that is not leading', () => {
    expect(telHref('042+10')).toBe('tel:04210')
  })

  it('gives no link for text without digits', () => {
    expect(telHref('ring oss')).toBeNull()
    expect(telHref('')).toBeNull()
  })
})

describe('phone numbers in a message', () => {
  it('finds the unit’s number in a message and leaves the rest as text', () => {
    expect(splitPhones('Passar tiden inte? Kontakta mottagningen på 046-15 25 35, eller avboka.')).toEqual([
      { text: 'Passar tiden inte? Kontakta mottagningen på ' },
      { phone: '046-15 25 35' },
      { text: ', eller avboka.' },
    ])
  })

  it('finds international and unspaced numbers', () => {
    expect(splitPhones('Ring +46 42 10 20 30 eller 0701234567.')).toEqual([{ text: 'Ring ' }, { phone: '+46 42 10 20 30' }, { text: ' eller ' }, { phone: '0701234567' }, { text: '.' }])
  })

  it('leaves dates, times, lengths and personal identity numbers alone', () => {
    const text = 'Tid: tisdag 2 juni 2026 kl. 08:30 (15 minuter), 2026-06-02, 19850314-2385, 20 30 40.'
    expect(splitPhones(text)).toEqual([{ text }])
  })
})
