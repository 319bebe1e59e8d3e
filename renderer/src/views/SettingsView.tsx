import { useId } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { AppInfo } from '../../../shared/api/contract.js';
import { AuditCheck } from '../components/AuditCheck.js';
import type { AppInfoState } from '../hooks/useAppInfo.js';
import { roleLabel } from '../role-label.js';

const transportLabels: Record<AppInfo['transport'], string> = {
  ipc: 'Desktop app (IPC)',
  web: 'Loopback web bridge',
  cli: 'Command line',
};

function AboutDetails({ info }: { info: AppInfo }) {
  return (
    <dl className="details">
      <dt>Product</dt>
      <dd>{info.name}</dd>
      <dt>Version</dt>
      <dd>{info.version}</dd>
      <dt>Transport</dt>
      <dd>{transportLabels[info.transport] ?? info.transport}</dd>
      <dt>Store schema</dt>
      <dd>{info.schemaVersion}</dd>
      <dt>Signed in as</dt>
      <dd>
        {info.user.id} ({roleLabel(info.user.role)})
      </dd>
    </dl>
  );
}

export function SettingsView({ api, info }: { api: ScribeApi; info: AppInfoState }) {
  const aboutHeading = useId();
  const auditHeading = useId();
  return (
    <div className="view">
      <h1 tabIndex={-1}>Settings</h1>
      <div className="settings-layout">
        <section className="panel" aria-labelledby={aboutHeading}>
          <h2 id={aboutHeading}>About this app</h2>
          {info.status === 'ready' ? <AboutDetails info={info.info} /> : null}
          {info.status === 'loading' ? <p className="muted">Loading…</p> : null}
          {info.status === 'error' ? (
            <p className="alert" role="alert">
              {info.message}
            </p>
          ) : null}
        </section>
        <section className="panel" aria-labelledby={auditHeading}>
          <h2 id={auditHeading}>Audit log</h2>
          <p>Checks that no entry of the audit log has been changed, removed or reordered since it was written.</p>
          <AuditCheck api={api} />
        </section>
      </div>
    </div>
  );
}
