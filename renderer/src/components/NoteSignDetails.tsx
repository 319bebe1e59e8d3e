import type { Note } from '../../../shared/domain/note.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { dateTime, plural } from '../format.js';
import type { Destination } from '../outbox-advice.js';
import { DetailsForIt } from './DetailsForIt.js';

/** In the sign dialog, above a note's text: the patient, the encounter, the version signed and where it goes. */
export function NoteSignDetails({ visit, note, destination }: { visit: Visit; note: Note; destination: Destination | undefined }) {
  return (
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
            {destination.forIt.length > 0 ? (
              <DetailsForIt>
                {destination.forIt.map((line) => (
                  <p key={line}>
                    <code>{line}</code>
                  </p>
                ))}
              </DetailsForIt>
            ) : null}
          </>
        ) : (
          'Loading the EHR connection…'
        )}
      </dd>
    </dl>
  );
}

/** In the sign dialog, below a note's text: the accepted codes that go with it, and how many do not. */
export function CodesSent({ note }: { note: Note }) {
  const accepted = note.codes.filter((code) => code.status === 'accepted');
  const leftOut = note.codes.length - accepted.length;
  return (
    <>
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
      {leftOut > 0 ? (
        <p className="muted">{plural(leftOut, 'suggested or rejected code is', 'suggested or rejected codes are')} not sent.</p>
      ) : null}
    </>
  );
}
