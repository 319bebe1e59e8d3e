import type { FormEvent } from 'react';
import { useId, useRef, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { RequestIn } from '../../../shared/api/contract.js';
import { ApiCallError } from '../../../shared/api/errors.js';
import { errorText } from '../error-text.js';

type FieldName = 'patientId' | 'encounterId' | 'displayName' | 'mrn' | 'birthDate';

interface FieldSpec {
  readonly name: FieldName;
  /** The request path the API names in `ApiCallError.fields`. */
  readonly path: string;
  readonly label: string;
  readonly maxLength?: number;
  readonly type?: 'text' | 'date';
  /** Shown when the API rejects the field: it names the field, never its value. */
  readonly invalid: string;
}

const fieldSpecs: readonly FieldSpec[] = [
  { name: 'patientId', path: 'patientId', label: 'Patient ID', maxLength: 128, invalid: 'Enter a patient ID of up to 128 characters.' },
  { name: 'encounterId', path: 'encounterId', label: 'Encounter ID', maxLength: 128, invalid: 'An encounter ID has up to 128 characters.' },
  {
    name: 'displayName',
    path: 'patient.displayName',
    label: 'Patient name',
    maxLength: 200,
    invalid: 'A patient name has up to 200 characters.',
  },
  { name: 'mrn', path: 'patient.mrn', label: 'MRN', maxLength: 64, invalid: 'An MRN has up to 64 characters.' },
  {
    name: 'birthDate',
    path: 'patient.birthDate',
    label: 'Birth date',
    type: 'date',
    invalid: 'Enter the birth date as a full date, or leave it empty.',
  },
];

type Values = Record<FieldName, string>;
type FieldErrors = Partial<Record<FieldName, string>>;

const emptyValues: Values = { patientId: '', encounterId: '', displayName: '', mrn: '', birthDate: '' };

function todayLocalDate(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Field paths may come as `patient.mrn`, `patient/mrn` or `patient[mrn]`; compare them one way. */
function normalisePath(path: string): string {
  return path
    .replace(/\[([^\]]+)\]/g, '.$1')
    .replaceAll('/', '.')
    .replace(/^\.+/, '');
}

function specForPath(path: string): FieldSpec | undefined {
  const wanted = normalisePath(path);
  return fieldSpecs.find((spec) => spec.path === wanted);
}

function checkLocally(values: Values, birthDateIncomplete: boolean): FieldErrors {
  const errors: FieldErrors = {};
  if (values.patientId.trim() === '') errors.patientId = 'Enter the patient ID.';
  if (birthDateIncomplete) errors.birthDate = 'Enter a complete birth date, or leave it empty.';
  else if (values.birthDate !== '' && values.birthDate > todayLocalDate()) errors.birthDate = 'The birth date cannot be in the future.';
  return errors;
}

function toRequest(values: Values): RequestIn<'visit:create'> {
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  return {
    patientId: values.patientId.trim(),
    encounterId: optional(values.encounterId),
    patient: {
      displayName: optional(values.displayName),
      mrn: optional(values.mrn),
      birthDate: optional(values.birthDate),
    },
  };
}

export function NewVisitForm({ api, onCreated }: { api: ScribeApi; onCreated: () => void }) {
  const idPrefix = useId();
  const [values, setValues] = useState<Values>(emptyValues);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const inputs = useRef(new Map<FieldName, HTMLInputElement>());

  const inputId = (name: FieldName) => `${idPrefix}-${name}`;
  const errorId = (name: FieldName) => `${idPrefix}-${name}-error`;

  const focusFirstInvalid = (errors: FieldErrors) => {
    const first = fieldSpecs.find((spec) => errors[spec.name]);
    if (first) inputs.current.get(first.name)?.focus();
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting) return;
    setStatus('');
    setFormError(undefined);
    // A partly typed date reads as '' from a date input; badInput tells it apart from an empty one.
    const birthDateIncomplete = inputs.current.get('birthDate')?.validity.badInput ?? false;
    const localErrors = checkLocally(values, birthDateIncomplete);
    setFieldErrors(localErrors);
    if (Object.keys(localErrors).length > 0) {
      focusFirstInvalid(localErrors);
      return;
    }
    setSubmitting(true);
    try {
      await api.visit.create(toRequest(values));
      setValues(emptyValues);
      setFieldErrors({});
      setStatus('Visit created. It is now in the list of today’s visits.');
      onCreated();
      inputs.current.get('patientId')?.focus();
    } catch (failure) {
      const serverErrors: FieldErrors = {};
      const unplaced: string[] = [];
      if (failure instanceof ApiCallError && failure.code === 'bad_request') {
        for (const path of failure.fields ?? []) {
          const spec = specForPath(path);
          if (spec) serverErrors[spec.name] = spec.invalid;
          else unplaced.push(path);
        }
      }
      setFieldErrors(serverErrors);
      const placedAll = Object.keys(serverErrors).length > 0 && unplaced.length === 0;
      setFormError(placedAll ? 'Check the fields marked below.' : errorText(failure));
      focusFirstInvalid(serverErrors);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form className="new-visit-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-describedby={`${idPrefix}-hint`}>
      <p id={`${idPrefix}-hint`} className="muted">
        Patient ID is required; everything else is optional.
      </p>
      {formError ? (
        <p className="alert" role="alert">
          {formError}
        </p>
      ) : null}
      {fieldSpecs.map((spec) => {
        const error = fieldErrors[spec.name];
        const required = spec.name === 'patientId';
        return (
          <div className="field" key={spec.name}>
            <label htmlFor={inputId(spec.name)}>
              {spec.label}
              {required ? <span className="required-mark"> (required)</span> : null}
            </label>
            <input
              id={inputId(spec.name)}
              name={spec.name}
              type={spec.type ?? 'text'}
              ref={(element) => {
                if (element) inputs.current.set(spec.name, element);
                else inputs.current.delete(spec.name);
              }}
              value={values[spec.name]}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setValues((previous) => ({ ...previous, [spec.name]: value }));
              }}
              maxLength={spec.maxLength}
              max={spec.type === 'date' ? todayLocalDate() : undefined}
              required={required}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId(spec.name) : undefined}
              // Patient details must not end up in the browser's autofill history.
              autoComplete="off"
              spellCheck={false}
            />
            {error ? (
              <p className="field-error" id={errorId(spec.name)}>
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      <div className="form-actions">
        <button type="submit" className="button-primary" aria-disabled={submitting || undefined}>
          {submitting ? 'Creating…' : 'Create visit'}
        </button>
      </div>
      <p className="form-status" role="status">
        {status}
      </p>
    </form>
  );
}
