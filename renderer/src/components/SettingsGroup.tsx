import type { FormEvent, ReactNode } from 'react';
import { useEffect, useId, useState } from 'react';
import type { RequestIn } from '../../../shared/api/contract.js';
import { ApiCallError } from '../../../shared/api/errors.js';
import type { SettingKey, SettingsView } from '../../../shared/domain/policy.js';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';

type Option = { readonly value: string; readonly label: string };

export type FieldSpec =
  | { readonly key: SettingKey; readonly kind: 'boolean'; readonly label: string; readonly hint?: string }
  | { readonly key: SettingKey; readonly kind: 'text'; readonly label: string; readonly hint?: string; readonly placeholder?: string }
  | {
      readonly key: SettingKey;
      readonly kind: 'number';
      readonly label: string;
      readonly hint?: string;
      readonly min: number;
      readonly max: number;
    }
  | {
      readonly key: SettingKey;
      readonly kind: 'select';
      readonly label: string;
      readonly hint?: string;
      readonly options: readonly Option[];
    }
  | {
      readonly key: SettingKey;
      readonly kind: 'multi';
      readonly label: string;
      readonly hint?: string;
      readonly options: readonly Option[];
    };

type Values = Partial<Record<SettingKey, unknown>>;

function valuesOf(view: SettingsView, fields: readonly FieldSpec[]): Values {
  const values: Values = {};
  for (const field of fields) values[field.key] = view.settings[field.key].value;
  return values;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function LockNote({ view, field }: { view: SettingsView; field: FieldSpec }) {
  const setting = view.settings[field.key];
  if (setting.locked) {
    return (
      <p className="lock-note">
        <span className="lock-tag">Locked</span> by your organisation’s policy. Ask IT to change it.
      </p>
    );
  }
  if (setting.source === 'user') return <p className="muted setting-source">Changed on this workstation.</p>;
  return null;
}

function FieldInput({
  field,
  value,
  disabled,
  id,
  describedBy,
  onChange,
}: {
  field: FieldSpec;
  value: unknown;
  disabled: boolean;
  id: string;
  describedBy: string;
  onChange: (value: unknown) => void;
}) {
  switch (field.kind) {
    case 'boolean':
      return (
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          disabled={disabled}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
      );
    case 'text':
      return (
        <input
          id={id}
          type="text"
          value={typeof value === 'string' ? value : ''}
          placeholder={field.placeholder}
          disabled={disabled}
          aria-describedby={describedBy}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => onChange(event.currentTarget.value.trim() === '' ? null : event.currentTarget.value)}
        />
      );
    case 'number':
      return (
        <input
          id={id}
          type="number"
          min={field.min}
          max={field.max}
          value={typeof value === 'number' ? value : ''}
          disabled={disabled}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.currentTarget.value === '' ? null : Number(event.currentTarget.value))}
        />
      );
    case 'select':
      return (
        <select
          id={id}
          value={String(value)}
          disabled={disabled}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.currentTarget.value)}
        >
          {field.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      );
    case 'multi': {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return (
        <div className="choices" id={id} role="group" aria-labelledby={`${id}-label`}>
          {field.options.map((option) => (
            <label key={option.value} className="choice">
              <input
                type="checkbox"
                checked={chosen.includes(option.value)}
                disabled={disabled}
                aria-describedby={describedBy}
                onChange={(event) => {
                  const on = event.currentTarget.checked;
                  // Keep the order of the options (it is the order of preference).
                  onChange(field.options.map((o) => o.value).filter((v) => (v === option.value ? on : chosen.includes(v))));
                }}
              />
              {option.label}
            </label>
          ))}
        </div>
      );
    }
  }
}

/**
 * A group of settings with one Save: locked ones are shown disabled with the reason, invalid ones
 * are marked with the server's field errors, and only changed values are sent.
 */
export function SettingsGroup({
  title,
  intro,
  fields,
  view,
  canEdit,
  onSaved,
  children,
}: {
  title: string;
  intro?: string;
  fields: readonly FieldSpec[];
  view: SettingsView;
  canEdit: boolean;
  onSaved: (view: SettingsView) => void;
  children?: ReactNode;
}) {
  const { api, announce } = useApp();
  const id = useId();
  const [values, setValues] = useState<Values>(() => valuesOf(view, fields));
  const [errors, setErrors] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  const changed = fields.filter((field) => !same(values[field.key], view.settings[field.key].value));

  // Settings changed elsewhere (another window, policy): show them unless this form has unsaved changes.
  useEffect(() => {
    if (changed.length === 0) setValues(valuesOf(view, fields));
  }, [view]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (saving || changed.length === 0) return;
    setSaving(true);
    setError(undefined);
    setErrors(new Set());
    setStatus('');
    const update: Values = {};
    for (const field of changed) update[field.key] = values[field.key];
    try {
      const next = await api.settings.update(update as RequestIn<'settings:update'>);
      onSaved(next);
      setValues(valuesOf(next, fields));
      setStatus('Saved.');
      announce(`${title} saved.`);
    } catch (failure) {
      if (failure instanceof ApiCallError && failure.fields) setErrors(new Set(failure.fields.map((path) => path.split('.')[0] ?? path)));
      setError(errorText(failure));
    } finally {
      setSaving(false);
    }
  };

  const headingId = `${id}-heading`;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {intro ? <p className="muted">{intro}</p> : null}
      <form className="settings-form" onSubmit={(event) => void save(event)} noValidate>
        {fields.map((field) => {
          const setting = view.settings[field.key];
          const inputId = `${id}-${field.key}`;
          const hintId = `${inputId}-hint`;
          const disabled = !canEdit || setting.locked;
          const invalid = errors.has(field.key);
          return (
            <div key={field.key} className={`field setting-field setting-${field.kind}${invalid ? ' is-invalid' : ''}`}>
              {field.kind === 'multi' ? (
                <span className="field-label" id={`${inputId}-label`}>
                  {field.label}
                </span>
              ) : (
                <label htmlFor={inputId}>{field.label}</label>
              )}
              <FieldInput
                field={field}
                value={values[field.key]}
                disabled={disabled}
                id={inputId}
                describedBy={hintId}
                onChange={(value) => setValues((v) => ({ ...v, [field.key]: value }))}
              />
              <div id={hintId}>
                {field.hint ? <p className="muted setting-hint">{field.hint}</p> : null}
                <LockNote view={view} field={field} />
                {invalid ? <p className="field-error">This value was not accepted.</p> : null}
              </div>
            </div>
          );
        })}
        {children}
        {error ? (
          <p className="alert" role="alert">
            {error}
          </p>
        ) : null}
        {canEdit ? (
          <div className="form-actions">
            <button type="submit" className="button-primary" aria-disabled={saving || changed.length === 0 || undefined}>
              {saving ? 'Saving…' : 'Save'}
            </button>
            <p className="form-status" role="status">
              {status}
            </p>
          </div>
        ) : null}
      </form>
    </section>
  );
}
