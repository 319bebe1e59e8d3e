import { useState } from 'react';
import type { ConnectionCheckStatus, ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';

type TestState =
  | { readonly status: 'idle' }
  | { readonly status: 'running' }
  | { readonly status: 'done'; readonly result: ConnectionTestResult }
  | { readonly status: 'error'; readonly message: string };

const STATUS: Record<ConnectionCheckStatus, { label: string; badge: string }> = {
  ok: { label: 'Works', badge: 'badge-done' },
  warning: { label: 'Check', badge: 'badge-attention' },
  failed: { label: 'Failed', badge: 'badge-failed' },
  skipped: { label: 'Not checked', badge: 'badge-neutral' },
};

function Results({ result }: { result: ConnectionTestResult }) {
  const failed = result.checks.filter((check) => check.status === 'failed').length;
  return (
    <>
      <p className={result.ok ? 'result-ok' : 'alert'}>
        {result.ok ? 'The EHR connection works.' : `The EHR connection does not work: ${failed} check${failed === 1 ? '' : 's'} failed.`}{' '}
        Nothing about patients was sent.
      </p>
      <ul className="connection-checks">
        {result.checks.map((check) => (
          <li key={check.step} className={`connection-check check-${check.status}`}>
            <span className={`badge ${STATUS[check.status].badge}`}>{STATUS[check.status].label}</span> <strong>{check.title}</strong>:{' '}
            {check.message}
            {check.hint ? <p className="muted setting-hint">What to do: {check.hint}</p> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Probes the saved EHR connection and lists each step's result in a live region. */
export function ConnectionTest() {
  const { api, announce } = useApp();
  const [state, setState] = useState<TestState>({ status: 'idle' });
  const running = state.status === 'running';

  const run = () => {
    if (running) return;
    setState({ status: 'running' });
    api.ehr.testConnection().then(
      (result) => {
        setState({ status: 'done', result });
        announce(result.ok ? 'Connection test passed.' : 'Connection test found problems.');
      },
      (failure: unknown) => setState({ status: 'error', message: errorText(failure) }),
    );
  };

  return (
    <div className="connection-test">
      <div className="form-actions">
        <button type="button" className="button-secondary" onClick={run} aria-disabled={running || undefined}>
          {running ? 'Testing…' : 'Test connection'}
        </button>
        <p className="muted">Tests the saved settings without sending patient data. Save changes first.</p>
      </div>
      <div className="connection-result" aria-live="polite" aria-busy={running || undefined}>
        {running ? <p className="muted">Testing the connection (up to 10 s per step)…</p> : null}
        {state.status === 'done' ? <Results result={state.result} /> : null}
        {state.status === 'error' ? <p className="alert">{state.message}</p> : null}
      </div>
    </div>
  );
}
