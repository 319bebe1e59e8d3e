import type { SettingsView } from '../../../shared/domain/policy.js';
import '../lists.css';
import { DemoEhrConnection } from './DemoEhrBadge.js';
import { DetailsForIt } from './DetailsForIt.js';

/** How many settings the machine policy locks, in words; the policy file's path is for IT only. */
export function PolicyLocks({ view }: { view: SettingsView }) {
  const locked = view.policy.locked.length;
  if (!view.policy.file) return <p>No machine policy is installed: every setting can be changed here by a clinician or administrator.</p>;
  return (
    <>
      <p>
        {locked} setting{locked === 1 ? ' is' : 's are'} locked by the machine policy. Locked settings are shown with a lock and cannot be
        changed here.
      </p>
      <DetailsForIt>
        <p>
          Policy file: <code>{view.policy.file}</code>
        </p>
      </DetailsForIt>
    </>
  );
}

/** What a clinician or scribe sees of the IT section: that it exists and who looks after it, not its fields. */
export function ManagedByIt({ view, demoEhr }: { view: SettingsView | undefined; demoEhr: boolean }) {
  return (
    <div className="panel">
      <DemoEhrConnection inUse={demoEhr} />
      <p>
        How this workstation connects to the EHR, how its messages name it, and who may sign notes are set up by your IT administrators. Ask
        IT if something about sending notes to the EHR needs to change.
      </p>
      {view ? <PolicyLocks view={view} /> : null}
    </div>
  );
}
