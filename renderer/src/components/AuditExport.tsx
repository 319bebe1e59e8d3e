import { useEffect, useState } from 'react';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';

/** Downloads the whole audit log as JSON lines (ids and actions only, never patient data). */
export function AuditExport() {
  const { api, announce, user } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ url: string; name: string; count: number } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => () => (result ? URL.revokeObjectURL(result.url) : undefined), [result]);

  if (user?.role === 'scribe') return <p className="muted">Exporting the audit log is for clinicians and administrators.</p>;

  const run = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const lines: string[] = [];
      let after = 0;
      for (;;) {
        const page = await api.audit.export({ afterSeq: after, limit: 5000 });
        for (const entry of page.entries) lines.push(`${JSON.stringify(entry)}\n`);
        if (page.nextAfterSeq === null) break;
        after = page.nextAfterSeq;
      }
      const url = URL.createObjectURL(new Blob(lines, { type: 'application/x-ndjson' }));
      const name = `ambient-scribe-audit-${new Date().toISOString().slice(0, 10)}.jsonl`;
      setResult({ url, name, count: lines.length });
      announce(`Audit log ready: ${lines.length} entries.`);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="audit-export">
      <button type="button" className="button-secondary" onClick={() => void run()} aria-disabled={busy || undefined}>
        {busy ? 'Preparing…' : 'Export audit log'}
      </button>
      <div role="status">
        {result ? (
          <p>
            {result.count} entries ready:{' '}
            <a href={result.url} download={result.name}>
              save {result.name}
            </a>
          </p>
        ) : null}
      </div>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
