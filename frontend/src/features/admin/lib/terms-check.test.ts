import { describe, expect, it } from 'vitest'
import { termsRemovals } from './terms-check'

describe('what the terms sanitiser removes', () => {
  it('finds scripts, event handlers and script links', () => {
    for (const attack of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[klicka](javascript:alert(1))', '<p onclick="alert(1)">x</p>', '<iframe src="https://evil.example"></iframe>', '<style>p{}</style>']) {
      expect(termsRemovals(`Boka här.\n\n${attack}`).code, attack).toBe(true)
    }
  })

  it('names other HTML tags, whose text stays', () => {
    expect(termsRemovals('<div>Hej</div> och <b>fet</b> <span>x</span>')).toEqual({ code: false, tags: ['b', 'div', 'span'] })
  })

  it('leaves plain Markdown and the allowed tags alone', () => {
    expect(termsRemovals('Här kan du **boka** *vissa* tider.\n\n- Provtagning\n- [1177](https://www.1177.se)\n\nRad<br>två <strong>ok</strong>')).toEqual({ code: false, tags: [] })
  })

  it('does not count markup shown as code', () => {
    expect(termsRemovals('Skriv inte `<script>` i texten.')).toEqual({ code: false, tags: [] })
  })

  it('leaves a word before a colon alone when it is no link', () => {
    expect(termsRemovals('Kontaktdata: 0771-11 77 00. Om javascript: inget.').code).toBe(false)
  })

  it('does not take a comparison for a tag', () => {
    expect(termsRemovals('Barn < 13 år och vuxna > 18 år.')).toEqual({ code: false, tags: [] })
  })
})

describe('what the terms warning names', () => {
  it('counts a script as code, not as a tag', () => {
    expect(termsRemovals('<script>alert(1)</script> <span onclick="x()">här</span>')).toEqual({ code: true, tags: ['span'] })
  })
})
