import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import { plural } from '../format.js';
import { DetailsForIt } from './DetailsForIt.js';

type Receipt = NonNullable<OutboxJobSummary['receipt']>;

/** What the EHR now holds, in words: "the note, 2 diagnoses and the record of who signed it". */
function heldInWords(resources: Extract<Receipt, { target: 'fhir' }>['resources'], ehr: string): string {
  const count = (type: string) => resources.filter((resource) => resource.type === type).length;
  const known = count('DocumentReference') + count('Condition') + count('Provenance');
  const parts = [
    count('DocumentReference') > 1 ? plural(count('DocumentReference'), 'note', 'notes') : count('DocumentReference') ? 'the note' : '',
    count('Condition') ? plural(count('Condition'), 'diagnosis', 'diagnoses') : '',
    count('Provenance') ? 'the record of who signed it' : '',
    resources.length > known ? plural(resources.length - known, 'other record', 'other records') : '',
  ].filter(Boolean);
  if (parts.length === 0) return `${ehr} confirmed the delivery.`;
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `${ehr} holds ${list}.`;
}

/**
 * What the EHR confirmed it holds, in plain words; its ids, acknowledgement codes and file names under "Details for IT".
 * `ehr` names it at the start of a sentence ("The Demo EHR — synthetic patients" while the app uses its demo EHR).
 */
export function DeliveryReceipt({ receipt, ehr = 'The EHR' }: { receipt: Receipt; ehr?: string }) {
  switch (receipt.target) {
    case 'fhir':
      return (
        <>
          <p>{heldInWords(receipt.resources, ehr)}</p>
          {receipt.skipped?.length ? (
            <p className="muted">This EHR does not take everything this app sends; what it left out is listed for IT.</p>
          ) : null}
          {receipt.confirmedBy ? <p className="muted">Confirmed in the EHR by {receipt.confirmedBy}.</p> : null}
          <DetailsForIt>
            <ul className="receipt-list">
              {receipt.resources.map((resource) => (
                <li key={`${resource.type}/${resource.id}`}>
                  <code>
                    {resource.type}/{resource.id}
                  </code>
                  {resource.versionId ? <span className="muted"> version {resource.versionId}</span> : null}
                </li>
              ))}
            </ul>
            {(receipt.skipped ?? []).map((skip) => (
              <p key={skip.type} className="muted">
                Not written as {skip.type} ({skip.count}): {skip.why}
              </p>
            ))}
          </DetailsForIt>
        </>
      );
    case 'hl7v2':
      return (
        <>
          <p>{ehr}’s interface acknowledged the note.</p>
          <DetailsForIt>
            <p>
              Acknowledged <code>{receipt.ackCode}</code> for message <code>{receipt.messageControlId}</code>
              {receipt.ackControlId ? (
                <>
                  {' '}
                  (acknowledgement <code>{receipt.ackControlId}</code>)
                </>
              ) : null}
            </p>
          </DetailsForIt>
        </>
      );
    case 'file-drop':
      return (
        <>
          <p>The note was written to the folder the EHR imports from.</p>
          <DetailsForIt>
            <ul className="receipt-list">
              {receipt.files.map((file) => (
                <li key={file}>
                  <code>{file}</code>
                </li>
              ))}
            </ul>
          </DetailsForIt>
        </>
      );
  }
}
