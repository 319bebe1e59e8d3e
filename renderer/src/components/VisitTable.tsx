import type { VisitSummary } from '../../../shared/api/contract.js';
import type { VisitState } from '../../../shared/domain/visit.js';
import { routeHref } from '../routes.js';
import { StateBadge } from './StateBadge.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

const RECORDING_STATES: ReadonlySet<VisitState> = new Set(['not_started', 'recording', 'recording_interrupted']);

/** Where a visit opens: its recording page until the recording is done, then review. */
export function visitHref(visit: Pick<VisitSummary, 'id' | 'state'>): string {
  return routeHref(RECORDING_STATES.has(visit.state) ? 'visits' : 'review', visit.id);
}

function NoValue() {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">None</span>
    </>
  );
}

export function VisitTable({ visits, labelledBy }: { visits: readonly VisitSummary[]; labelledBy: string }) {
  return (
    // Focusable so keyboard users can scroll the table sideways when it is wider than the window.
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="visit-table" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Patient ID</th>
            <th scope="col">Encounter</th>
            <th scope="col">State</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {visits.map((visit) => (
            <tr key={visit.id}>
              <th scope="row" className="patient-cell">
                {visit.damaged ? (
                  // Its patient cannot be read, so there is nothing to open; saying so keeps it from looking lost.
                  <span className="damaged-record">This visit’s record is damaged. Ask IT to restore the store from its backup.</span>
                ) : (
                  <a href={visitHref(visit)}>{visit.patientName ? visit.patientName : <span className="muted">Unnamed patient</span>}</a>
                )}
              </th>
              <td className="id-cell">{visit.patientId ?? <NoValue />}</td>
              <td className="id-cell">{visit.encounterId ?? <NoValue />}</td>
              <td>
                <StateBadge state={visit.state} />
              </td>
              <td className="time-cell">
                <time dateTime={visit.createdAt}>{timeFormat.format(new Date(visit.createdAt))}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
