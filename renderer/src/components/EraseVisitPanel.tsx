import { useId, useState } from 'react';
import type { Visit } from '../../../shared/domain/visit.js';
import type { SettingsView } from '../../../shared/domain/policy.js';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';
import { navigate } from '../routes.js';

/**
 * A patient's erasure request: shown only where the policy's visitErasureRoles name the user's role.
 * Two deliberate steps (open, tick the confirmation, erase); main refuses while a signed note has not
 * reached the EHR, and says so here.
 */
export function EraseVisitPanel({ visit, settings }: { visit: Visit; settings: SettingsView | undefined }) {
  const { api, user, announce } = useApp();
  const heading = useId();
  const [open, setOpen] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const roles: readonly string[] = settings?.settings.visitErasureRoles.value ?? [];
  if (!user || !roles.includes(user.role)) return null;

  const erase = async () => {
    if (!confirmed || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.visit.erase({ visitId: visit.id });
      announce('The visit was erased from this workstation.');
      navigate('visits');
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  };

  const cancel = () => {
    setOpen(false);
    setConfirmed(false);
    setError(undefined);
  };

  return (
    <section className="panel erase-visit-panel" aria-labelledby={heading}>
      <h2 id={heading}>Erasure request</h2>
      {open ? (
        <>
          <p>
            Erasing removes this visit from this workstation: its audio, transcript, note, revisions and addenda. Notes already in the EHR
            stay there. This cannot be undone; the audit log records that you erased it.
          </p>
          <label className="choice">
            <input type="checkbox" checked={confirmed} onChange={(event) => setConfirmed(event.currentTarget.checked)} />
            The patient asked for this visit to be erased
          </label>
          {error ? (
            <p className="alert" role="alert">
              {error}
            </p>
          ) : null}
          <button type="button" onClick={() => void erase()} aria-disabled={!confirmed || busy || undefined}>
            {busy ? 'Erasing…' : 'Erase this visit permanently'}
          </button>{' '}
          <button type="button" onClick={cancel} disabled={busy}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          Erase this visit…
        </button>
      )}
    </section>
  );
}
