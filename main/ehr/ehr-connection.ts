import type { Settings } from '../../shared/domain/policy.js';
import type { EhrSource } from '../../shared/domain/ehr.js';
import type { Actor } from '../kernel/actor.js';
import { ScribeError } from '../kernel/errors.js';
import { fhirTargetFromSettings } from '../fhir/target-from-settings.js';
import type { DefaultFhirTarget } from '../fhir/target-from-settings.js';
import { FhirTargetConfig } from '../fhir/fhir-target-config.js';
import type { BackendTokenSource } from '../fhir/smart-backend-auth.js';
import { createBackendTokenSource } from '../fhir/smart-backend-auth.js';
import { EhrError } from './ehr-error.js';
import { createFhirReader } from './fhir-reader.js';
import type { FhirReader } from './fhir-reader.js';

/**
 * Which FHIR server the schedule and patient search read, and with whose token: the signed-in
 * clinician's SMART session when there is one (the EHR then shows what that clinician may see, and
 * the schedule is theirs), otherwise the workstation's backend-services client, the same one
 * write-back uses (system/Encounter.read and system/Patient.read are in its default scopes). With
 * nothing configured that is the sandbox EHR on 127.0.0.1:8910.
 */
export interface EhrConnection {
  readonly reader: FhirReader;
  readonly source: EhrSource;
  /** The signed-in clinician's Practitioner id, when reading with their token. */
  readonly practitionerId?: string;
}

export interface EhrConnectionDeps {
  readonly settings: () => Settings;
  /** The FHIR connection when the settings name none (the demo EHR), as for delivery. */
  readonly defaultTarget: DefaultFhirTarget | undefined;
  readonly auth: { actor(): Actor | undefined; readonly tokens: BackendTokenSource };
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface EhrConnections {
  current(): Promise<EhrConnection>;
  /** Settings changed: the next call builds its connection (and backend token) afresh. */
  reset(): void;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function createEhrConnections(deps: EhrConnectionDeps): EhrConnections {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let backend: Promise<{ baseUrl: string; tokens: BackendTokenSource }> | undefined;

  const buildBackend = async () => {
    let config: FhirTargetConfig;
    try {
      config = FhirTargetConfig.parse(await fhirTargetFromSettings(deps.settings(), deps.defaultTarget));
    } catch (error) {
      const why = error instanceof ScribeError ? ` ${error.message}` : '';
      throw new EhrError(
        'not_configured',
        `The EHR connection is not set up, so today's schedule cannot be read.${why} You can still create a visit by hand.`,
        { cause: error },
      );
    }
    return {
      baseUrl: config.baseUrl,
      tokens: createBackendTokenSource({
        ...config,
        requestTimeoutMs: Math.min(config.requestTimeoutMs, timeoutMs),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      }),
    };
  };

  return {
    async current() {
      const settings = deps.settings();
      const source: EhrSource = settings.fhirBaseUrl === null ? 'sandbox' : 'configured';
      const signedIn = deps.auth.actor();
      if (signedIn && settings.fhirBaseUrl !== null) {
        // Sign-in only works against the configured EHR, and a change of EHR ends the session.
        return {
          reader: createFhirReader({
            baseUrl: settings.fhirBaseUrl,
            tokens: deps.auth.tokens,
            timeoutMs,
            ...(deps.fetch ? { fetch: deps.fetch } : {}),
          }),
          source,
          // A signed-in scribe (no Practitioner) sees everyone's schedule.
          ...(signedIn.practitioner ? { practitionerId: signedIn.practitioner.id } : {}),
        };
      }
      const attempt = (backend ??= buildBackend());
      let built: Awaited<typeof attempt>;
      try {
        built = await attempt;
      } catch (error) {
        // A key file added later must be picked up without a restart.
        if (backend === attempt) backend = undefined;
        throw error;
      }
      return {
        reader: createFhirReader({ baseUrl: built.baseUrl, tokens: built.tokens, timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) }),
        source,
      };
    },
    reset() {
      backend = undefined;
    },
  };
}
