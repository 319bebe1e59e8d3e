import { useId } from 'react';
import type { VisitSummary } from '../../../shared/api/contract.js';
import '../lists.css';

/** '' means any. */
export interface ListFilter {
  readonly state: string;
  readonly clinician: string;
}

export const ANY: ListFilter = { state: '', clinician: '' };

/** Who the visit is with: the encounter's clinician, else whoever started it. */
export function clinicianOf(visit: VisitSummary | undefined): string | undefined {
  return visit && !visit.damaged ? (visit.clinician ?? visit.createdBy) : undefined;
}

export function matches(filter: ListFilter, state: string, clinician: string | undefined): boolean {
  return (filter.state === '' || filter.state === state) && (filter.clinician === '' || filter.clinician === clinician);
}

interface Option {
  readonly value: string;
  readonly label: string;
}

/** The states and clinicians found in a list, each once, in a stable order; the chosen ones stay offered after they empty out. */
export function optionsOf(
  rows: readonly { state: string; clinician: string | undefined }[],
  label: (state: string) => string,
  filter: ListFilter,
): { states: Option[]; clinicians: string[] } {
  const states = [...new Set([...rows.map((r) => r.state), ...(filter.state ? [filter.state] : [])])];
  const clinicians = [
    ...new Set([...rows.flatMap((r) => (r.clinician ? [r.clinician] : [])), ...(filter.clinician ? [filter.clinician] : [])]),
  ].sort((a, b) => a.localeCompare(b));
  return { states: states.map((value) => ({ value, label: label(value) })), clinicians };
}

/** Narrows a list by state and by clinician; says how many rows show, and offers a way back to all of them. */
export function ListFilters({
  states,
  clinicians,
  value,
  onChange,
  shown,
  total,
}: {
  states: readonly Option[];
  clinicians: readonly string[];
  value: ListFilter;
  onChange: (next: ListFilter) => void;
  shown: number;
  total: number;
}) {
  const stateId = useId();
  const clinicianId = useId();
  const filtered = value.state !== '' || value.clinician !== '';
  return (
    <div className="list-filters" role="group" aria-label="Filter the list">
      <label htmlFor={stateId}>State</label>
      <select id={stateId} value={value.state} onChange={(event) => onChange({ ...value, state: event.target.value })}>
        <option value="">Any state</option>
        {states.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <label htmlFor={clinicianId}>Clinician</label>
      <select id={clinicianId} value={value.clinician} onChange={(event) => onChange({ ...value, clinician: event.target.value })}>
        <option value="">Any clinician</option>
        {clinicians.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <p className="muted list-filter-count" role="status">
        {filtered ? `Showing ${shown} of ${total}.` : ''}
      </p>
      {filtered ? (
        <button type="button" className="button-small button-secondary" onClick={() => onChange(ANY)}>
          Show all
        </button>
      ) : null}
    </div>
  );
}
