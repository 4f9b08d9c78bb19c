import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import type { Schemas } from '../../../shared/api/client'
import { I18nProvider } from '../../../shared/i18n'
import { BookingCalendar } from './BookingCalendar'

type Availability = Schemas['AvailableDatesResponse']

function availability(first: string, last: string, dates: [string, number][]): Availability {
  return {
    horizon_first: first,
    horizon_last: last,
    from: first,
    to: last,
    first_free_date: dates.find(([, n]) => n > 0)?.[0] ?? null,
    dates: dates.map(([date, free_slots]) => ({ date, free_slots })),
  }
}

function Harness({ data, onSelect }: { data: Availability; onSelect: (d: string) => void }) {
  const [selected, setSelected] = useState<string | null>(null)
  return (
    <I18nProvider initial="sv">
      <BookingCalendar
        availability={data}
        selected={selected}
        onSelect={(d) => {
          setSelected(d)
          onSelect(d)
        }}
      />
    </I18nProvider>
  )
}

const day = (name: RegExp) => screen.getByRole('button', { name })

describe('the booking calendar', () => {
  it('preselects the first day with free slots', () => {
    const onSelect = vi.fn()
    render(<Harness data={availability('2020-06-15', '2020-08-10', [['2020-06-17', 4], ['2020-06-18', 2]])} onSelect={onSelect} />)
    expect(onSelect).toHaveBeenCalledWith('2020-06-17')
    expect(day(/^onsdag 17 juni 2020/)).toHaveAttribute('aria-pressed', 'true')
    expect(day(/^onsdag 17 juni 2020/)).toHaveAccessibleName('onsdag 17 juni 2020, 4 lediga tider')
  })

  it('disables days without free slots and days outside the horizon', async () => {
    const onSelect = vi.fn()
    render(<Harness data={availability('2020-06-15', '2020-08-10', [['2020-06-17', 4], ['2020-06-19', 1]])} onSelect={onSelect} />)
    expect(day(/^torsdag 18 juni 2020/)).toBeDisabled()
    expect(day(/^måndag 1 juni 2020/)).toBeDisabled()
    await userEvent.click(day(/^fredag 19 juni 2020/))
    expect(onSelect).toHaveBeenLastCalledWith('2020-06-19')
    expect(day(/^fredag 19 juni 2020/)).toHaveAttribute('aria-pressed', 'true')
  })

  it('shows ISO week numbers with Monday first', () => {
    render(<Harness data={availability('2020-06-15', '2020-08-10', [['2020-06-17', 1]])} onSelect={() => {}} />)
    const weeks = screen.getAllByTestId('week-number').map((cell) => cell.textContent)
    expect(weeks).toEqual(['23', '24', '25', '26', '27'])
    const headers = within(screen.getByRole('table')).getAllByRole('columnheader').map((h) => h.textContent)
    expect(headers).toEqual(['v.', 'må', 'ti', 'on', 'to', 'fr', 'lö', 'sö'])
  })

  it('keeps every day of a week with a daylight-saving change', async () => {
    render(<Harness data={availability('2027-03-22', '2027-05-17', [['2027-03-29', 3], ['2027-03-28', 1]])} onSelect={() => {}} />)
    expect(day(/^söndag 28 mars 2027/)).toBeEnabled()
    expect(day(/^lördag 27 mars 2027/)).toBeDisabled()
    const weeks = screen.getAllByTestId('week-number').map((cell) => cell.textContent)
    expect(weeks).toEqual(['9', '10', '11', '12', '13'])
    await userEvent.click(screen.getByRole('button', { name: 'Nästa månad' }))
    expect(screen.getByRole('table')).toHaveTextContent(/april 2027/i)
  })

  it('cannot go before the first month of the horizon', () => {
    render(<Harness data={availability('2020-06-15', '2020-08-10', [['2020-06-17', 1]])} onSelect={() => {}} />)
    expect(screen.getByRole('button', { name: 'Föregående månad' })).toBeDisabled()
    expect(screen.getByRole('button', { name: 'Nästa månad' })).toBeEnabled()
  })
})
