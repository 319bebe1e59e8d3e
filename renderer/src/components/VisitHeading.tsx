import { useEffect, useRef } from 'react';
import type { Visit } from '../../../shared/domain/visit.js';
import { StateBadge } from './StateBadge.js';

/** The view's heading names the patient on the page (never in the window title). */
export function VisitHeading({ visit, prefix }: { visit: Visit; prefix: string }) {
  const name = visit.patient.displayName ?? 'Unnamed patient';
  const heading = useRef<HTMLHeadingElement>(null);
  // The view's loading heading had focus after navigation; when it is replaced, focus would fall
  // to the page: give it to this heading instead, so screen readers announce the visit.
  useEffect(() => {
    if (document.activeElement === null || document.activeElement === document.body) heading.current?.focus();
  }, []);
  return (
    <div className="visit-heading">
      <h1 tabIndex={-1} ref={heading}>
        {prefix}: {name}
      </h1>
      <dl className="visit-facts">
        <div>
          <dt>Patient ID</dt>
          <dd className="id-cell">{visit.patientId}</dd>
        </div>
        {visit.patient.mrn ? (
          <div>
            <dt>MRN</dt>
            <dd className="id-cell">{visit.patient.mrn}</dd>
          </div>
        ) : null}
        {visit.encounterId ? (
          <div>
            <dt>Encounter</dt>
            <dd className="id-cell">{visit.encounterId}</dd>
          </div>
        ) : null}
        <div>
          <dt>State</dt>
          <dd>
            <StateBadge state={visit.state} />
          </dd>
        </div>
      </dl>
      <ClinicalLists visit={visit} />
    </div>
  );
}

/** The EHR's active problem list and medications, as read when the visit was started from the schedule or a patient search. */
function ClinicalLists({ visit }: { visit: Visit }) {
  const { problems = [], medications = [] } = visit.patient;
  if (problems.length === 0 && medications.length === 0) return null;
  return (
    <dl className="visit-lists">
      {problems.length > 0 ? (
        <div>
          <dt>Problems (EHR)</dt>
          <dd>{problems.join('; ')}</dd>
        </div>
      ) : null}
      {medications.length > 0 ? (
        <div>
          <dt>Medications (EHR)</dt>
          <dd>{medications.join('; ')}</dd>
        </div>
      ) : null}
    </dl>
  );
}
