import { useState } from 'react';
import type { VisitSummary } from '../../../shared/api/contract.js';
import type { VisitState } from '../../../shared/domain/visit.js';
import { clockTime, dateTime, timeAgo } from '../format.js';
import { routeHref } from '../routes.js';
import { ANY, clinicianOf, ListFilters, matches, optionsOf } from './ListFilters.js';
import type { ListFilter } from './ListFilters.js';
import { StateBadge, stateLabel } from './StateBadge.js';

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

/** A time today reads as a clock time; another day's with its date. */
function when(iso: string): string {
  return new Date(iso).toDateString() === new Date().toDateString() ? clockTime(iso) : dateTime(iso);
}

/**
 * Visits with what tells them apart (one patient may have several): reason, clinician, scheduled
 * time, encounter, how long ago it was started, and state; filtered by state and by clinician.
 */
export function VisitTable({ visits, labelledBy }: { visits: readonly VisitSummary[]; labelledBy: string }) {
  const [filter, setFilter] = useState<ListFilter>(ANY);
  const rows = visits.map((visit) => ({ visit, state: visit.state, clinician: clinicianOf(visit) }));
  const { states, clinicians } = optionsOf(rows, (state) => stateLabel(state as VisitState), filter);
  const shown = rows.filter((row) => matches(filter, row.state, row.clinician));
  return (
    <>
      <ListFilters states={states} clinicians={clinicians} value={filter} onChange={setFilter} shown={shown.length} total={rows.length} />
      {shown.length === 0 ? <p className="empty-state">No visit matches these filters.</p> : null}
      {/* Focusable so keyboard users can scroll the table sideways when it is wider than the window. */}
      <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0} hidden={shown.length === 0}>
        <table className="visit-table" aria-labelledby={labelledBy}>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Patient ID</th>
              <th scope="col">Reason for visit</th>
              <th scope="col">Clinician</th>
              <th scope="col">Scheduled</th>
              <th scope="col">Encounter</th>
              <th scope="col">State</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ visit, clinician }) => (
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
                <td className="reason-cell">{visit.reasonForVisit ?? <NoValue />}</td>
                <td>{clinician ?? <NoValue />}</td>
                <td className="time-cell">
                  {visit.scheduledAt ? <time dateTime={visit.scheduledAt}>{when(visit.scheduledAt)}</time> : <NoValue />}
                </td>
                <td className="id-cell">{visit.encounterId ?? <NoValue />}</td>
                <td>
                  <StateBadge state={visit.state} />
                </td>
                <td className="time-cell">
                  <time dateTime={visit.createdAt} title={dateTime(visit.createdAt)}>
                    {when(visit.createdAt)} <span className="muted">({timeAgo(visit.createdAt)})</span>
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
