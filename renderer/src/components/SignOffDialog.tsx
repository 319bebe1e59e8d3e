import { useEffect, useId, useRef, useState } from 'react';
import { renderNoteText } from '../../../shared/domain/note-text.js';
import type { Note } from '../../../shared/domain/note.js';
import { unsupportedSummary } from '../../../shared/domain/unsupported-sentences.js';
import type { SettingsView } from '../../../shared/domain/policy.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';
import { dateTime } from '../format.js';
import type { OutboxState } from '../hooks/useOutbox.js';
import { destinationOf } from '../outbox-advice.js';
import { DeliveryProgress } from './DeliveryProgress.js';
import { UnsupportedAcknowledgement } from './UnsupportedAcknowledgement.js';

interface Props {
  readonly visit: Visit;
  /** The stored revision being signed: exactly what the signature covers. */
  readonly note: Note;
  readonly settings: SettingsView | undefined;
  readonly outbox: OutboxState;
  readonly onClose: () => void;
  readonly onSigned: () => void;
}

/**
 * Sign-off: shows the note exactly as it will be sent, where it goes, and the codes with it; the
 * clinician confirms in a second deliberate step (tick the attestation, then Sign and send). Then
 * it follows the delivery to the EHR's receipt.
 */
export function SignOffDialog({ visit, note, settings, outbox, onClose, onSigned }: Props) {
  const { api, announce } = useApp();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const attestId = useId();
  const [attested, setAttested] = useState(false);
  const [checkedUnsupported, setCheckedUnsupported] = useState(false);
  const [phase, setPhase] = useState<'confirm' | 'signing' | 'sent'>('confirm');
  const [error, setError] = useState<string | undefined>(undefined);
  const [jobId, setJobId] = useState<string | undefined>(undefined);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const text = renderNoteText(note);
  const accepted = note.codes.filter((code) => code.status === 'accepted');
  const leftOut = note.codes.length - accepted.length;
  const destination = settings ? destinationOf(settings) : undefined;
  const job = jobId ? outbox.jobs?.find((candidate) => candidate.id === jobId) : undefined;
  const unsupported = unsupportedSummary(note);
  const ready = attested && (unsupported.count === 0 || checkedUnsupported);

  const sign = async () => {
    if (!ready || phase !== 'confirm') return;
    setPhase('signing');
    setError(undefined);
    try {
      const result = await api.visit.sign({ visitId: visit.id, revision: note.revision, ...(unsupported.count > 0 ? { acknowledgeUnsupported: checkedUnsupported } : {}) });
      setJobId(result.jobId);
      setPhase('sent');
      announce('Note signed. Sending it to the EHR.');
      onSigned();
      outbox.reload();
      // Send now rather than wait for the next scheduled run; progress arrives as outbox events.
      api.outbox.run().then(outbox.reload, outbox.reload);
    } catch (failure) {
      setError(errorText(failure));
      setPhase('confirm');
    }
  };

  return (
    <dialog ref={dialog} className="sign-dialog" aria-labelledby={titleId} onClose={onClose}>
      <div className="dialog-body">
        <h2 id={titleId}>{phase === 'sent' ? 'Signed: sending to the EHR' : 'Sign and send to the EHR'}</h2>
        {phase !== 'sent' ? (
          <>
            <dl className="details">
              <dt>Patient</dt>
              <dd>
                {visit.patient.displayName ?? 'Unnamed patient'} <span className="id-cell">({visit.patientId})</span>
              </dd>
              {visit.encounterId ? (
                <>
                  <dt>Encounter</dt>
                  <dd className="id-cell">{visit.encounterId}</dd>
                </>
              ) : null}
              <dt>Version</dt>
              <dd>
                Revision {note.revision}, saved by {note.updatedBy} on {dateTime(note.updatedAt)}
              </dd>
              <dt>Sent</dt>
              <dd>
                {destination ? (
                  <>
                    <strong>{destination.title}</strong>
                    <br />
                    {destination.detail}
                  </>
                ) : (
                  'Loading the EHR connection…'
                )}
              </dd>
            </dl>
            <h3>The note, exactly as it will be sent</h3>
            <pre className="note-preview" tabIndex={0} aria-label="Note text to be sent">
              {text}
            </pre>
            <h3>Diagnosis codes sent with it</h3>
            {accepted.length > 0 ? (
              <ul className="receipt-list">
                {accepted.map((code) => (
                  <li key={code.code}>
                    <code>{code.code}</code> {code.description}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No codes were accepted; the note goes without diagnosis codes.</p>
            )}
            {leftOut > 0 ? <p className="muted">{leftOut} suggested or rejected code(s) are not sent.</p> : null}
            <UnsupportedAcknowledgement summary={unsupported} checked={checkedUnsupported} onChange={setCheckedUnsupported} />
            <label className="attest" htmlFor={attestId}>
              <input id={attestId} type="checkbox" checked={attested} onChange={(event) => setAttested(event.currentTarget.checked)} />
              I have reviewed this note and the codes, and I confirm they are accurate. Once signed, the note cannot be changed; later corrections go out as an addendum.
            </label>
            {error ? (
              <p className="alert" role="alert">
                {error}
              </p>
            ) : null}
            <div className="form-actions dialog-actions">
              <button type="button" className="button-secondary" onClick={() => dialog.current?.close()}>
                Cancel
              </button>
              <button
                type="button"
                className="button-primary"
                onClick={() => void sign()}
                aria-disabled={!ready || phase === 'signing' || undefined}
                aria-describedby={ready ? undefined : attestId}
              >
                {phase === 'signing' ? 'Signing…' : 'Sign and send'}
              </button>
            </div>
          </>
        ) : (
          <>
            <p>
              Revision {note.revision} is signed and locked. {destination ? destination.title : ''}.
            </p>
            <DeliveryProgress job={job} />
            <div className="form-actions dialog-actions">
              <button type="button" className="button-primary" onClick={() => dialog.current?.close()}>
                Close
              </button>
            </div>
          </>
        )}
      </div>
    </dialog>
  );
}
