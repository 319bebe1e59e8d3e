import type { AppInfoState } from '../hooks/useAppInfo.js';
import { roleLabel } from '../role-label.js';
import { RecordingIndicator } from './RecordingIndicator.js';

function SignedInUser({ info }: { info: AppInfoState }) {
  switch (info.status) {
    case 'loading':
      return <span className="muted">Connecting…</span>;
    case 'error':
      return <span className="header-warning">Not connected</span>;
    case 'ready':
      return (
        <span>
          <span className="visually-hidden">Signed in as </span>
          <span className="user-id">{info.info.user.id}</span>
          <span className="role-tag">{roleLabel(info.info.user.role)}</span>
        </span>
      );
  }
}

export function AppHeader({ info }: { info: AppInfoState }) {
  return (
    <header className="app-header">
      <p className="product-name">Ambient Scribe</p>
      <RecordingIndicator />
      <div className="signed-in">
        <SignedInUser info={info} />
      </div>
    </header>
  );
}
