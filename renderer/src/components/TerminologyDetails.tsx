import { useEffect, useState } from 'react';
import type { TerminologyInfo } from '../../../shared/domain/terminology.js';
import { useApp } from '../app-context.js';
import { DetailsForIt } from './DetailsForIt.js';
import { errorText } from '../error-text.js';
import { dateTime } from '../format.js';

const SOURCES: Record<TerminologyInfo['source'], string> = {
  'built-in': 'Official CMS/CDC release, included with the app',
  release: 'Official CMS/CDC release, imported by IT',
  starter: 'Development fallback: common outpatient codes only',
};

/** The ICD-10-CM code set in use: which release, how many codes, when and by whom it was imported. */
export function TerminologyDetails() {
  const { api } = useApp();
  const [info, setInfo] = useState<TerminologyInfo | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let current = true;
    api.terminology.info().then(
      (next) => current && setInfo(next),
      (failure: unknown) => current && setError(errorText(failure)),
    );
    return () => {
      current = false;
    };
  }, [api]);
  if (error) {
    return (
      <p className="alert" role="alert">
        {error}
      </p>
    );
  }
  if (!info) return <p className="muted">Loading…</p>;
  return (
    <>
      <dl className="details">
        <dt>Code set</dt>
        <dd>
          {info.system} {info.version}
        </dd>
        <dt>Fiscal year</dt>
        <dd>{info.fiscalYear}</dd>
        <dt>Source</dt>
        <dd>{SOURCES[info.source]}</dd>
        <dt>Codes</dt>
        <dd>
          {info.counts.total.toLocaleString()} ({info.counts.billable.toLocaleString()} billable)
        </dd>
        {info.importedAt ? (
          <>
            <dt>Imported</dt>
            <dd>
              {dateTime(info.importedAt)}
              {info.importedBy ? ` by ${info.importedBy}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {info.source === 'starter' ? (
        <div className="notice">
          <p>{info.notice}</p>
          <DetailsForIt>
            <p>
              Import the release with <code>scribe terminology import</code>.
            </p>
          </DetailsForIt>
        </div>
      ) : null}
    </>
  );
}
