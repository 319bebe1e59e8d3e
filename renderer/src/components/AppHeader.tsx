import type { ScribeApi } from '../../../shared/api/client.js';
import type { AppInfoState } from '../hooks/useAppInfo.js';
import type { IdentityState } from '../hooks/useIdentity.js';
import { RecordingIndicator } from './RecordingIndicator.js';
import { SignInControls } from './SignInControls.js';

export function AppHeader({ api, info, identity }: { api: ScribeApi; info: AppInfoState; identity: IdentityState }) {
  return (
    <header className="app-header">
      <p className="product-name">Ambient Scribe</p>
      <RecordingIndicator />
      <div className="signed-in">
        {info.status === 'error' ? (
          <span className="header-warning">Not connected</span>
        ) : (
          <SignInControls api={api} state={identity} inBrowser={info.status === 'ready' && info.info.transport === 'web'} />
        )}
      </div>
    </header>
  );
}
