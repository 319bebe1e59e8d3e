import { useCallback, useEffect, useId, useState } from 'react';
import type { DemoEhrDocument } from '../../../shared/domain/demo-ehr.js';
import { DEMO_EHR_LABEL } from '../../../shared/domain/demo-ehr.js';
import { useApp } from '../app-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { dateTime } from '../format.js';

/** What the demo EHR has filed (FHIR DocumentReferences, HL7 v2 messages): a signed note seen arriving. */
export function DemoEhrView() {
  const { api } = useApp();
  const heading = useId();
  const [documents, setDocuments] = useState<readonly DemoEhrDocument[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const load = useCallback(
    () =>
      api.ehr.demoReceived({}).then((result) => {
        setDocuments(result.documents);
        setError(undefined);
      }, setError),
    [api],
  );
  useEffect(() => {
    void load();
    return api.on('outbox:changed', () => void load());
  }, [api, load]);

  return (
    <section aria-labelledby={heading}>
      <h1 id={heading}>What the EHR received</h1>
      <p className="muted">
        The {DEMO_EHR_LABEL} runs inside this app and forgets everything when it stops. Each note signed here appears below once it arrives.
      </p>
      {error ? <ErrorNotice error={error} /> : null}
      {documents?.length === 0 ? <p>Nothing yet: sign a note and it appears here.</p> : null}
      <ul className="demo-ehr-received">
        {documents?.map((doc) => (
          <li key={doc.id}>
            <article aria-label={`${doc.title}, ${doc.patient}`}>
              <h2>
                {doc.title} — {doc.patient}
              </h2>
              <p className="muted">
                {doc.via === 'fhir' ? 'FHIR' : 'HL7 v2'} · {doc.id} · {doc.status}
                {doc.addendumTo ? ` · adds to ${doc.addendumTo}` : ''} · {doc.receivedAt ? dateTime(doc.receivedAt) : ''}
              </p>
              <pre className="demo-ehr-text">{doc.text}</pre>
            </article>
          </li>
        ))}
      </ul>
    </section>
  );
}
