import { useId, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { VisitSummary } from '../../../shared/api/contract.js';
import type { ScheduleEntry } from '../../../shared/domain/ehr.js';
import { errorText } from '../error-text.js';
import type { TodaysSchedule } from '../hooks/useSchedule.js';
import { StateBadge } from './StateBadge.js';
import { visitHref } from './VisitTable.js';
import { DEMO_EHR_LABEL } from '../../../shared/domain/demo-ehr.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function patientDetails(entry: ScheduleEntry): string {
  return [
    entry.patient.mrn ? `MRN ${entry.patient.mrn}` : undefined,
    entry.patient.birthDate ? `born ${entry.patient.birthDate}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

interface Props {
  readonly api: ScribeApi;
  readonly state: TodaysSchedule;
  /** Today's local visits: their states are live (events), the schedule's are as of its last read. */
  readonly visits: readonly VisitSummary[] | undefined;
  readonly everyone: boolean;
  readonly onEveryoneChange: (everyone: boolean) => void;
}

/** Today's encounters from the EHR, each with its visit's state and Start visit / Open. */
export function TodaySchedule({ api, state, visits, everyone, onEveryoneChange }: Props) {
  const headingId = useId();
  const toggleId = useId();
  const { schedule, loading, error, reload } = state;
  const [starting, setStarting] = useState<string | undefined>(undefined);
  const [startError, setStartError] = useState<string | undefined>(undefined);

  const liveState = (entry: ScheduleEntry) =>
    entry.visit ? (visits?.find((v) => v.id === entry.visit!.id)?.state ?? entry.visit.state) : undefined;

  const start = async (entry: ScheduleEntry) => {
    if (starting) return;
    setStarting(entry.encounterId);
    setStartError(undefined);
    try {
      const { visit } = await api.ehr.startVisit({ encounterId: entry.encounterId });
      window.location.hash = visitHref(visit);
    } catch (failure) {
      setStartError(errorText(failure));
    } finally {
      setStarting(undefined);
    }
  };

  return (
    <section className="panel" aria-labelledby={headingId} aria-busy={loading || undefined}>
      <div className="panel-header">
        <h2 id={headingId}>Today’s schedule</h2>
        <div className="schedule-tools">
          {schedule?.scope === 'mine' || everyone ? (
            <span className="schedule-toggle">
              <input id={toggleId} type="checkbox" checked={everyone} onChange={(event) => onEveryoneChange(event.currentTarget.checked)} />
              <label htmlFor={toggleId}>Everyone’s encounters</label>
            </span>
          ) : null}
          <button type="button" className="button-secondary" onClick={reload}>
            Refresh schedule
          </button>
        </div>
      </div>
      {schedule ? (
        <p className="muted">
          {schedule.source === 'sandbox' ? `From the ${DEMO_EHR_LABEL}.` : 'From the EHR.'}{' '}
          {schedule.scope === 'mine' ? 'Your encounters.' : 'All encounters.'}
          {schedule.truncated ? ' The EHR has more encounters today than are shown.' : ''}
        </p>
      ) : null}
      {error ? (
        <div className="alert" role="alert">
          <p>{error}</p>
          {schedule ? <p>The schedule below may be out of date.</p> : null}
        </div>
      ) : null}
      {startError ? (
        <p className="alert" role="alert">
          {startError}
        </p>
      ) : null}
      {schedule === undefined ? (
        loading ? (
          <p role="status" className="muted">
            Loading today’s schedule from the EHR…
          </p>
        ) : null
      ) : schedule.entries.length === 0 ? (
        <p className="empty-state">No encounters on the EHR today. Create a visit with New visit.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={headingId} tabIndex={0}>
          <table className="visit-table schedule-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Patient</th>
                <th scope="col">Reason and clinician</th>
                <th scope="col">Visit</th>
              </tr>
            </thead>
            <tbody>
              {schedule.entries.map((entry, index) => {
                const visitState = liveState(entry);
                const name = entry.patient.displayName ?? 'Unnamed patient';
                const details = patientDetails(entry);
                // The buttons' names stay "Start visit" / "Open"; the patient is their description.
                const patientCell = `${headingId}-patient-${index}`;
                return (
                  <tr key={entry.encounterId}>
                    <td className="time-cell">
                      {entry.start ? <time dateTime={entry.start}>{timeFormat.format(new Date(entry.start))}</time> : '—'}
                    </td>
                    <th scope="row" className="patient-cell" id={patientCell}>
                      {name}
                      {details ? <span className="schedule-details">{details}</span> : null}
                    </th>
                    <td>
                      {entry.reason ?? <span className="muted">No reason given</span>}
                      {entry.practitioner ? <span className="schedule-details">{entry.practitioner}</span> : null}
                    </td>
                    <td className="schedule-action">
                      <StateBadge state={visitState ?? 'not_started'} />
                      {entry.visit ? (
                        <a
                          className="button-secondary schedule-open"
                          href={visitHref({ id: entry.visit.id, state: visitState ?? entry.visit.state })}
                          aria-describedby={patientCell}
                        >
                          Open
                        </a>
                      ) : (
                        <button
                          type="button"
                          className="button-primary"
                          onClick={() => void start(entry)}
                          aria-disabled={starting !== undefined || undefined}
                          aria-describedby={patientCell}
                        >
                          {starting === entry.encounterId ? 'Starting…' : 'Start visit'}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
