import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import type { CaptureStatus, ConsentGiver, ConsentMethod } from '../../../shared/domain/capture.js';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';
import { clockTime } from '../format.js';

const methodLabels: Record<ConsentMethod, string> = { verbal: 'Verbal', written: 'Written (signed form)' };
const giverLabels: Record<ConsentGiver, string> = {
  patient: 'The patient',
  guardian: 'A parent or guardian',
  representative: 'A legal representative',
};

function ConsentForm({ visitId, onRecorded }: { visitId: string; onRecorded: () => void }) {
  const { api, announce } = useApp();
  const id = useId();
  const [method, setMethod] = useState<ConsentMethod | ''>('');
  const [givenBy, setGivenBy] = useState<ConsentGiver>('patient');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    if (method === '') return setError('Choose how consent was given: verbally or in writing.');
    if (givenBy !== 'patient' && name.trim() === '')
      return setError(`Enter the name of the ${givenBy === 'guardian' ? 'parent or guardian' : 'representative'} who consented.`);
    setSaving(true);
    setError(undefined);
    try {
      await api.visit.recordConsent({ visitId, method, givenBy, ...(givenBy !== 'patient' ? { representativeName: name.trim() } : {}) });
      announce('Consent recorded. You can start recording.');
      onRecorded();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="consent-form" onSubmit={(event) => void submit(event)} noValidate>
      <fieldset>
        <legend>How was consent given?</legend>
        {(Object.keys(methodLabels) as ConsentMethod[]).map((value) => (
          <label key={value} className="choice">
            <input type="radio" name={`${id}-method`} value={value} checked={method === value} onChange={() => setMethod(value)} />
            {methodLabels[value]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Who gave it?</legend>
        {(Object.keys(giverLabels) as ConsentGiver[]).map((value) => (
          <label key={value} className="choice">
            <input type="radio" name={`${id}-giver`} value={value} checked={givenBy === value} onChange={() => setGivenBy(value)} />
            {giverLabels[value]}
          </label>
        ))}
      </fieldset>
      {givenBy !== 'patient' ? (
        <div className="field">
          <label htmlFor={`${id}-name`}>Name of the person who consented</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      ) : null}
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button-primary" aria-disabled={saving || undefined}>
        {saving ? 'Recording consent…' : 'Record consent'}
      </button>
    </form>
  );
}

/** Consent comes before recording (unless policy turns that off); once given, it is shown, not asked again. */
export function ConsentPanel({ status, onRecorded }: { status: CaptureStatus; onRecorded: () => void }) {
  const heading = useId();
  const consent = status.consent;
  return (
    <section className="panel" aria-labelledby={heading}>
      <h2 id={heading}>Consent to record</h2>
      {consent ? (
        <p className="result-ok">
          Consent recorded: {consent.method === 'verbal' ? 'verbal' : 'written'}, from {giverLabels[consent.givenBy].toLowerCase()},
          confirmed by {consent.confirmedBy} at <time dateTime={consent.obtainedAt}>{clockTime(consent.obtainedAt)}</time>.
        </p>
      ) : status.consentRequired ? (
        <>
          <p>Ask the patient whether the visit may be recorded. Recording can start once their consent is recorded here.</p>
          <ConsentForm visitId={status.visitId} onRecorded={onRecorded} />
        </>
      ) : (
        <>
          <p className="muted">This workstation’s policy does not require consent before recording.</p>
          <details>
            <summary>Record consent anyway</summary>
            <ConsentForm visitId={status.visitId} onRecorded={onRecorded} />
          </details>
        </>
      )}
    </section>
  );
}
