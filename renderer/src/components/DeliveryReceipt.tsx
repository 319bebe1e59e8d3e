import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';

/** What the EHR confirmed it holds: resource ids, the HL7 acknowledgement, or the files written. */
export function DeliveryReceipt({ receipt }: { receipt: NonNullable<OutboxJobSummary['receipt']> }) {
  switch (receipt.target) {
    case 'fhir':
      return (
        <>
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
          {receipt.confirmedBy ? <p className="muted">Confirmed in the EHR by {receipt.confirmedBy}.</p> : null}
        </>
      );
    case 'hl7v2':
      return (
        <p>
          Acknowledged <code>{receipt.ackCode}</code> for message <code>{receipt.messageControlId}</code>
          {receipt.ackControlId ? (
            <>
              {' '}
              (acknowledgement <code>{receipt.ackControlId}</code>)
            </>
          ) : null}
        </p>
      );
    case 'file-drop':
      return (
        <ul className="receipt-list">
          {receipt.files.map((file) => (
            <li key={file}>
              <code>{file}</code>
            </li>
          ))}
        </ul>
      );
  }
}
