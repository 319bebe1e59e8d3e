import { useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { AuditVerifyReport } from '../../../shared/domain/audit.js';
import { errorText } from '../error-text.js';
import { plural } from '../format.js';

type CheckState =
  | { readonly status: 'idle' }
  | { readonly status: 'running' }
  | { readonly status: 'done'; readonly report: AuditVerifyReport }
  | { readonly status: 'error'; readonly message: string };

function AuditReport({ report }: { report: AuditVerifyReport }) {
  if (report.ok && report.problems.length === 0) {
    return <p className="result-ok">Audit log intact: {plural(report.entries, 'entry', 'entries')}</p>;
  }
  return (
    <div className="alert">
      <p>
        Audit log has {plural(report.problems.length, 'problem', 'problems')} ({plural(report.entries, 'entry', 'entries')} checked):
      </p>
      <ul className="problem-list">
        {report.problems.map((problem, index) => (
          <li key={`${problem.seq}-${problem.kind}-${index}`}>
            Entry {problem.seq}: {problem.kind.replaceAll('_', ' ')} — {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Re-checks the audit log's hash chain on demand and says plainly what it found. */
export function AuditCheck({ api }: { api: ScribeApi }) {
  const [state, setState] = useState<CheckState>({ status: 'idle' });
  const running = state.status === 'running';

  const verify = () => {
    if (running) return;
    setState({ status: 'running' });
    api.audit.verify().then(
      (report) => setState({ status: 'done', report }),
      (failure: unknown) => setState({ status: 'error', message: errorText(failure) }),
    );
  };

  return (
    <>
      <button type="button" className="button-primary" onClick={verify} aria-disabled={running || undefined}>
        {running ? 'Verifying…' : 'Verify audit log'}
      </button>
      <div className="audit-result" role="status">
        {state.status === 'done' ? <AuditReport report={state.report} /> : null}
        {state.status === 'error' ? <p className="alert">{state.message}</p> : null}
      </div>
    </>
  );
}
