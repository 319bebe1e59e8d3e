import type { KeyboardEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { EhrPatient, StartVisitResult } from '../../../shared/domain/ehr.js';
import { errorText } from '../error-text.js';
import { visitHref } from './VisitTable.js';

const MIN_CHARS = 2;
const DEBOUNCE_MS = 300;

const details = (p: EhrPatient) =>
  [p.mrn ? `MRN ${p.mrn}` : undefined, p.birthDate ? `born ${p.birthDate}` : undefined].filter(Boolean).join(' · ');

/** Which of the patient's lists the EHR would not give, as a sentence; empty when both were read. */
const unreadLists = (status: StartVisitResult['clinicalLists']) => {
  const missing = [
    status?.medications === 'unavailable' ? 'medication list' : undefined,
    status?.problems === 'unavailable' ? 'problem list' : undefined,
  ].filter(Boolean);
  return missing.length === 0 ? '' : ` The ${missing.join(' and ')} could not be read from the EHR; the visit goes on without.`;
};

type Search =
  | { readonly kind: 'idle' }
  | { readonly kind: 'searching' }
  | { readonly kind: 'done'; readonly patients: readonly EhrPatient[]; readonly truncated: boolean }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Finds a patient on the EHR by name or MRN (an ARIA 1.2 combobox: arrow keys move through the
 * results, Enter picks, Escape closes; the result count is announced) and creates a visit for them.
 */
export function PatientSearch({ api, onCreated }: { api: ScribeApi; onCreated: () => void }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [search, setSearch] = useState<Search>({ kind: 'idle' });
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [picked, setPicked] = useState<EhrPatient | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | undefined>(undefined);
  const [created, setCreated] = useState<{ href: string; unread: string } | undefined>(undefined);
  const ticket = useRef(0);

  useEffect(() => {
    const query = text.trim();
    const mine = ++ticket.current;
    if (query.length < MIN_CHARS) {
      setSearch({ kind: 'idle' });
      return;
    }
    setSearch({ kind: 'searching' });
    const timer = setTimeout(() => {
      api.ehr.patientSearch({ text: query }).then(
        (result) => {
          if (mine !== ticket.current) return;
          setSearch({ kind: 'done', patients: result.patients, truncated: result.truncated });
          setActive(result.patients.length > 0 ? 0 : -1);
          setOpen(true);
        },
        (failure: unknown) => {
          if (mine === ticket.current) setSearch({ kind: 'failed', message: errorText(failure) });
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [api, text]);

  const results = search.kind === 'done' ? search.patients : [];
  const expanded = open && results.length > 0;
  const optionId = (index: number) => `${id}-option-${index}`;

  const pick = (patient: EhrPatient) => {
    setPicked(patient);
    setOpen(false);
    setCreated(undefined);
    setCreateError(undefined);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (results.length === 0) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + results.length) % results.length);
    } else if (event.key === 'Enter') {
      if (expanded && active >= 0 && results[active]) {
        event.preventDefault();
        pick(results[active]);
      }
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const create = async () => {
    if (!picked || creating) return;
    setCreating(true);
    setCreateError(undefined);
    try {
      // The EHR's details and lists, read again by main: nothing from the search result is trusted.
      const { visit, clinicalLists } = await api.ehr.createVisitForPatient({
        patientId: picked.patientId,
        reasonForVisit: reason.trim() === '' ? undefined : reason.trim(),
      });
      setCreated({ href: visitHref(visit), unread: unreadLists(clinicalLists) });
      setPicked(undefined);
      setReason('');
      setText('');
      onCreated();
      inputRef.current?.focus();
    } catch (failure) {
      setCreateError(errorText(failure));
    } finally {
      setCreating(false);
    }
  };

  const status =
    search.kind === 'searching'
      ? 'Searching the EHR…'
      : search.kind === 'done'
        ? search.patients.length === 0
          ? 'No patients found. Check the spelling, or enter the patient by hand below.'
          : `${search.patients.length} patient${search.patients.length === 1 ? '' : 's'} found${search.truncated ? '; more match, so type more of the name' : ''}. Use the arrow keys and Enter to pick one.`
        : '';

  return (
    <div className="patient-search">
      <div className="field">
        <label htmlFor={`${id}-input`}>Find a patient on the EHR</label>
        <p id={`${id}-hint`} className="muted">
          Type a name, or a medical record number.
        </p>
        <input
          ref={inputRef}
          id={`${id}-input`}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={`${id}-listbox`}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          aria-describedby={`${id}-hint ${id}-status`}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setOpen(true);
            setCreated(undefined);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          onFocus={() => setOpen(true)}
          maxLength={100}
          // Patient details must not end up in the browser's autofill history.
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <ul id={`${id}-listbox`} role="listbox" aria-label="Patients found" className="patient-results" hidden={!expanded}>
        {results.map((patient, index) => (
          <li
            key={patient.patientId}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            className="patient-option"
            // Keeps focus in the input, so the list does not close before the click lands.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(patient)}
          >
            <span className="patient-option-name">{patient.displayName ?? 'Unnamed patient'}</span>
            <span className="schedule-details">{details(patient)}</span>
          </li>
        ))}
      </ul>
      <p id={`${id}-status`} className="muted" role="status" aria-live="polite">
        {status}
      </p>
      {search.kind === 'failed' ? (
        <p className="alert" role="alert">
          {search.message}
        </p>
      ) : null}
      {picked ? (
        <div className="picked-patient" role="group" aria-labelledby={`${id}-picked`}>
          <p id={`${id}-picked`}>
            <strong>{picked.displayName ?? 'Unnamed patient'}</strong>
            <span className="schedule-details">{details(picked)}</span>
          </p>
          <div className="field">
            <label htmlFor={`${id}-reason`}>Reason for visit (optional)</label>
            <input
              id={`${id}-reason`}
              type="text"
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
              maxLength={500}
              autoComplete="off"
            />
          </div>
          {createError ? (
            <p className="alert" role="alert">
              {createError}
            </p>
          ) : null}
          <div className="form-actions">
            <button type="button" className="button-primary" onClick={() => void create()} aria-disabled={creating || undefined}>
              {creating ? 'Creating…' : 'Create visit'}
            </button>
            <button
              type="button"
              className="button-secondary"
              onClick={() => {
                setPicked(undefined);
                inputRef.current?.focus();
              }}
            >
              Choose another patient
            </button>
          </div>
        </div>
      ) : null}
      <p className="form-status" role="status">
        {created ? (
          <>
            Visit created. It is now in the list of today’s visits.{created.unread} <a href={created.href}>Open it</a>
          </>
        ) : null}
      </p>
    </div>
  );
}
