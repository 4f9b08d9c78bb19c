import { fireEvent, render, screen } from '@testing-library/react'
import { useState } from 'react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ProblemError } from '../../../shared/api/client'
import { I18nProvider } from '../../../shared/i18n'
import { confirmedName, ResidentField, useResidentCheck } from './ResidentField'

// The look-up is access-logged: the test counts how often it is made.
const mutateAsync = vi.fn()
vi.mock('../api/resident-lookup', () => ({ useResidentLookup: () => ({ mutateAsync }) }))

function Form() {
  const [pnr, setPnr] = useState('')
  const checker = useResidentCheck('unit-1')
  const name = confirmedName(checker, pnr)
  return (
    <I18nProvider initial="sv">
      <ResidentField checker={checker} value={pnr} onChange={setPnr} />
      <button type="submit">{name ? `Boka in ${name}` : 'Boka in patient'}</button>
    </I18nProvider>
  )
}

const field = () => screen.getByLabelText('Personnummer')
// Preact (preact/compat) listens for input events where React listened for change.
const type = (value: string) => fireEvent.input(field(), { target: { value } })

describe('the resident look-up on the desk', () => {
  // In braces: a function returned by beforeEach is run as its cleanup.
  beforeEach(() => {
    mutateAsync.mockReset()
  })

  it('is not made per keystroke, but on leaving a complete number, once', async () => {
    mutateAsync.mockImplementation(() => Promise.resolve({ resident: { id: 'r', name: 'Anna Svensson', personal_identity_number: '19121212-1212' } }))
    render(<Form />)
    for (const partial of ['1', '1912', '19121212-121']) type(partial)
    fireEvent.blur(field())
    expect(mutateAsync).not.toHaveBeenCalled()
    type('19121212-1212')
    fireEvent.blur(field())
    expect(await screen.findByRole('status')).toHaveTextContent('Anna Svensson 19121212-1212')
    expect(mutateAsync).toHaveBeenCalledTimes(1)
    expect(mutateAsync).toHaveBeenCalledWith({ unitId: 'unit-1', pnr: '19121212-1212' })
    // The same number is not looked up again; the button names the resident.
    fireEvent.click(screen.getByRole('button', { name: 'Hämta namn' }))
    expect(mutateAsync).toHaveBeenCalledTimes(1)
    expect(screen.getByRole('button', { name: 'Boka in Anna Svensson' })).toBeInTheDocument()
    // An edited number forgets the name.
    type('19121212-121')
    expect(screen.getByRole('status')).toBeEmptyDOMElement()
    expect(screen.getByRole('button', { name: 'Boka in patient' })).toBeInTheDocument()
  })

  it('says when the register has no name, or no resident yet', async () => {
    mutateAsync.mockImplementation(({ pnr }: { pnr: string }) =>
      Promise.resolve({ resident: pnr === '194107309173' ? { id: 'r', name: null, personal_identity_number: '19410730-9173' } : null }),
    )
    render(<Form />)
    type('194107309173')
    fireEvent.click(screen.getByRole('button', { name: 'Hämta namn' }))
    expect(await screen.findByText(/Namn saknas i registret/)).toBeInTheDocument()
    type('200001012380')
    fireEvent.click(screen.getByRole('button', { name: 'Hämta namn' }))
    expect(await screen.findByText('Ingen invånare med det personnumret finns registrerad ännu – bokningen registrerar personen.')).toBeInTheDocument()
  })

  it('shows a number the server refuses as a Swedish field error', async () => {
    const refusal = new ProblemError(422, {
      type: 'https://tidbok.se/problems/validation-failed',
      title: 'The request has invalid fields',
      status: 422,
      errors: [{ field: 'personal_identity_number', code: 'pnr_check_digit', message: 'the check digit does not match' }],
    } as never)
    mutateAsync.mockImplementation(() => Promise.reject(refusal))
    render(<Form />)
    type('19121212-1213')
    fireEvent.click(screen.getByRole('button', { name: 'Hämta namn' }))
    const text = 'Personnumret stämmer inte: den sista siffran passar inte ihop med de andra. Kontrollera att det är rätt skrivet.'
    expect(await screen.findAllByText(text)).toHaveLength(2)
    expect(field()).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByRole('status')).toHaveTextContent(text)
  })
})
