// A save's confirmation beside its button: the live region is always there
// (so the message is announced when it appears), empty until there is news.
export function SaveStatus({ message, id }: { message: string | null; id?: string }) {
  return (
    <span className="save-status" role="status" id={id}>
      {message && (
        <>
          <span aria-hidden="true">✓ </span>
          {message}
        </>
      )}
    </span>
  )
}
