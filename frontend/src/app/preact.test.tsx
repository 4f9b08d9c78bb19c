// The app runs on Preact (vite.config.ts aliases react and react-dom to
// preact/compat); the tests must too, or they would prove React's behaviour
// and not what residents get.
import { render, screen } from '@testing-library/react'
import { options } from 'preact'
import * as compat from 'preact/compat'
import * as React from 'react'
import * as ReactDOM from 'react-dom'
import { afterEach, describe, expect, it } from 'vitest'

const before = options.vnode
afterEach(() => {
  options.vnode = before
})

describe('the test environment', () => {
  it('imports Preact for react and react-dom', () => {
    expect(React.useState).toBe(compat.useState)
    expect(ReactDOM.createPortal).toBe(compat.createPortal)
  })

  it('renders through Testing Library with the one copy of Preact the app uses', () => {
    const made: string[] = []
    options.vnode = (vnode) => {
      if (typeof vnode.type === 'string') made.push(vnode.type)
      before?.(vnode)
    }
    render(<output>hej</output>)
    expect(screen.getByText('hej').tagName).toBe('OUTPUT')
    expect(made).toContain('output')
  })
})
