import type { UserRole } from '../../shared/domain/auth.js';
import type { Settings } from '../../shared/domain/policy.js';
import { settingDefaults } from '../../shared/domain/policy.js';

/** What clinician sign-in needs from settings (or the machine policy), read again at each sign-in. */
export interface SignInConfig {
  readonly fhirBaseUrl: string | null;
  readonly clientId: string | null;
  readonly scope: string;
  readonly launchPort: number | null;
  /** IT's roles for fhirUser references (`ehrUserRoles`); none: the fhirUser's type decides. */
  readonly userRoles?: Readonly<Record<string, UserRole>>;
}

/** A configuration sign-in can use: the EHR and our registration with it are both known. */
export interface UsableSignInConfig extends SignInConfig {
  readonly fhirBaseUrl: string;
  readonly clientId: string;
}

export const normalizeBaseUrl = (url: string) => url.replace(/\/+$/, '');

export function signInConfigFrom(
  settings: Pick<Settings, 'fhirBaseUrl' | 'fhirSignInClientId' | 'fhirSignInScope' | 'fhirLaunchPort' | 'ehrUserRoles'>,
): SignInConfig {
  return {
    fhirBaseUrl: settings.fhirBaseUrl === null ? null : normalizeBaseUrl(settings.fhirBaseUrl),
    clientId: settings.fhirSignInClientId,
    scope: settings.fhirSignInScope || settingDefaults.fhirSignInScope,
    launchPort: settings.fhirLaunchPort,
    userRoles: settings.ehrUserRoles,
  };
}

export function isUsable(config: SignInConfig): config is UsableSignInConfig {
  return config.fhirBaseUrl !== null && config.clientId !== null;
}
