import type { ConnectionCheck, ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import type { Settings } from '../../../shared/domain/policy.js';
import type { Actor } from '../../kernel/actor.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Logger } from '../../log/logger.js';
import type { Clock } from '../../store/clock.js';
import type { DefaultTargets } from '../default-targets.js';
import { checkFhir } from './fhir-check.js';
import { checkFileDrop } from './file-drop-check.js';
import { checkHl7 } from './hl7-check.js';

/** Each step waits at most this long, so a test against a silent server still ends promptly. */
export const CONNECTION_TEST_TIMEOUT_MS = 10_000;

export interface ConnectionTester {
  /** Probes the route the current settings name; sends no patient data and creates nothing in the EHR. */
  test(actor: Actor): Promise<ConnectionTestResult>;
}

export interface ConnectionTesterDeps {
  readonly settings: () => Settings;
  /** Where an unset target points (the demo EHR), as for delivery. */
  readonly defaults: DefaultTargets;
  readonly audit: AuditLog;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export function createConnectionTester(deps: ConnectionTesterDeps): ConnectionTester {
  const timeoutMs = deps.timeoutMs ?? CONNECTION_TEST_TIMEOUT_MS;
  return {
    async test(actor) {
      const settings = deps.settings();
      const route = settings.ehrRouting;
      const testedAt = deps.clock.now().toISOString();
      const runs: Promise<ConnectionCheck[]>[] = [];
      if (route === 'fhir' || route === 'fhir-then-hl7v2')
        runs.push(checkFhir({ settings, defaultTarget: deps.defaults.fhir, timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) }));
      if (route === 'hl7v2' || route === 'fhir-then-hl7v2') runs.push(checkHl7(settings, timeoutMs, deps.logger, deps.defaults.hl7));
      if (route === 'file-drop') runs.push(checkFileDrop(settings.fileDropFolder, timeoutMs));
      const checks = (await Promise.all(runs)).flat();
      const ok = checks.every((check) => check.status !== 'failed');
      deps.audit.append({ actor: actor.id, action: 'ehr.connection_tested', objectType: 'ehr_route', objectId: route });
      // Codes only: messages name hosts and folders, and may quote what a server said.
      deps.logger.info('ehr.connection_tested', { route, ok, checks: checks.map((c) => `${c.step}=${c.status}:${c.code}`).join(',') });
      return { route, ok, testedAt, checks };
    },
  };
}
