import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'
import type { Schemas } from '../../../shared/api/client'
import { I18nProvider } from '../../../shared/i18n'
import { TimePicker } from './TimePicker'

const now = Date.parse('2026-06-01T10:00:00Z')

function slot(id: string, startsAt: string, time: string): Schemas['SlotResponse'] {
  return {
    id,
    starts_at: startsAt,
    ends_at: startsAt,
    local_date: startsAt.slice(0, 10),
    local_start_time: time,
    length_minutes: 10,
    unit: { id: 'u', name: 'Vårdcentralen Påarp-Mörarp' },
    practitioner: { id: 'p', name: 'Karin Berg' },
    appointment_type: { id: 't', name: 'Provtagning 1177' },
  }
}

const TIMES = [slot('soon', '2026-06-02T06:50:00Z', '08:50'), slot('later', '2026-06-02T11:00:00Z', '13:00')]

function Harness({ data = TIMES, pending = false }: { data?: Schemas['SlotResponse'][]; pending?: boolean }) {
  const [selected, setSelected] = useState<string | null>(null)
  return (
    <I18nProvider initial="sv">
      <TimePicker
        date="2026-06-02"
        slots={{ data: pending ? undefined : data, isPending: pending, error: null }}
        selected={selected}
        onSelect={(s) => setSelected(s.id)}
        now={now}
        within24h="Inom 24 timmar (test)"
      />
    </I18nProvider>
  )
}

describe('the time picker', () => {
  it('lists the date’s times under a heading that names the date', () => {
    render(<Harness />)
    expect(screen.getByRole('heading', { name: 'Välj tid – tisdag 2 juni 2026' })).toBeInTheDocument()
    expect(screen.getAllByRole('radio').map((r) => r.closest('label')?.textContent)).toEqual(['08:50Karin Berg', '13:00Karin Berg'])
  })

  it('warns when the chosen time starts within 24 hours, and not for a later one', async () => {
    render(<Harness />)
    expect(screen.queryByText('Inom 24 timmar (test)')).toBeNull()
    await userEvent.click(screen.getByRole('radio', { name: /^13:00/ }))
    expect(screen.getByRole('radio', { name: /^13:00/ })).toBeChecked()
    expect(screen.queryByText('Inom 24 timmar (test)')).toBeNull()
    await userEvent.click(screen.getByRole('radio', { name: /^08:50/ }))
    expect(screen.getByRole('status')).toHaveTextContent('Inom 24 timmar (test)')
  })

  it('says so when the date has no times left', () => {
    render(<Harness data={[]} />)
    expect(screen.getByText('Inga lediga tider denna dag.')).toBeInTheDocument()
    expect(screen.queryAllByRole('radio')).toHaveLength(0)
  })
})
