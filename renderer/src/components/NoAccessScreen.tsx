export type NoAccessReason = 'no-token' | 'token-rejected';

/** Shown in a plain browser that has no bridge token: the link `scribe web` prints carries it. */
export function NoAccessScreen({ reason }: { reason: NoAccessReason }) {
  return (
    <main className="no-access">
      <h1>Ambient Scribe</h1>
      {reason === 'token-rejected' ? (
        <p className="alert" role="alert">
          The access token for this tab was not accepted. The web bridge may have restarted.
        </p>
      ) : null}
      <p className="no-access-lead">
        Open the link printed by <code>scribe web</code> (it carries the access token).
      </p>
      <p className="muted">
        The link works only on this computer, and only while <code>scribe web</code> is running.
      </p>
    </main>
  );
}
