import { SignInError } from './sign-in-error.js';

/**
 * Every way a clinician's sign-in can fail or a session can end, each with a stable reason id.
 * Details hold only safe facts (an HTTP status, an OAuth error code from the specification's list).
 */

// ---- starting a sign-in ----------------------------------------------------------------------------

export const notConfigured = () =>
  new SignInError(
    'not_configured',
    'Sign-in is not set up: it needs the FHIR server address and a sign-in client id (Settings, or ask IT).',
    { reason: 'auth.not_configured' },
  );

export const onlyStandaloneFromApp = () =>
  new SignInError('launch_refused', 'Only standalone sign-in can be started from the app.', { reason: 'auth.only_standalone' });

export const launchNotOn = () => new SignInError('launch_refused', 'EHR launch is not turned on.', { reason: 'auth.launch_not_on' });

export const ehrDidNotAnswer = (cause: unknown) =>
  new SignInError('discovery_failed', 'The EHR did not answer in time. Check the network and try again.', {
    reason: 'auth.ehr_timed_out',
    cause,
  });

export const signInCouldNotStart = (cause: unknown) =>
  new SignInError('discovery_failed', 'Sign-in could not start with this EHR. Check the FHIR server address, then try again.', {
    reason: 'auth.could_not_start',
    cause,
  });

export const launchCouldNotStart = (cause: unknown) =>
  new SignInError('discovery_failed', 'Sign-in could not start with this EHR.', { reason: 'auth.launch_could_not_start', cause });

export const signInAddressesChanged = () =>
  new SignInError(
    'unsupported_server',
    "The EHR's sign-in addresses changed while Ambient Scribe was running. Restart Ambient Scribe and sign in again.",
    {
      reason: 'auth.addresses_changed',
    },
  );

export const browserFailed = (cause: unknown) =>
  new SignInError('browser_failed', 'The system browser could not be opened for sign-in.', { reason: 'auth.browser_failed', cause });

export const noBrowserInThisProcess = () =>
  new SignInError(
    'browser_failed',
    'This process cannot open a browser for sign-in. Sign in from the desktop app, or run `scribe auth sign-in`.',
    { reason: 'auth.no_browser' },
  );

// ---- the EHR's SMART configuration -----------------------------------------------------------------

export const ehrUnreachable = (cause: unknown) =>
  new SignInError('discovery_failed', 'The EHR could not be reached. Check the network and the FHIR server address in Settings.', {
    reason: 'auth.ehr_unreachable',
    cause,
  });

export const smartConfigurationUnreadable = (status: number) =>
  new SignInError(
    'discovery_failed',
    `The EHR's SMART configuration could not be read (HTTP ${status}). Check the FHIR server address in Settings.`,
    {
      reason: 'auth.smart_configuration_unreadable',
      details: { status },
    },
  );

export const noSmartConfiguration = () =>
  new SignInError(
    'unsupported_server',
    'The EHR does not publish a SMART on FHIR configuration with an authorization and a token endpoint.',
    { reason: 'auth.no_smart_configuration' },
  );

export const insecureEndpoints = () =>
  new SignInError(
    'unsupported_server',
    "The EHR's sign-in endpoints are not https; Ambient Scribe will not send a clinician's sign-in over an unencrypted connection.",
    {
      reason: 'auth.insecure_endpoints',
    },
  );

export const noPkce = () =>
  new SignInError('unsupported_server', 'The EHR does not support PKCE (S256), which sign-in from a desktop app requires.', {
    reason: 'auth.no_pkce',
  });

export const noIssuer = () =>
  new SignInError('unsupported_server', 'The EHR does not name an OpenID Connect issuer, so Ambient Scribe cannot confirm who signed in.', {
    reason: 'auth.no_issuer',
  });

export const noSigningKeys = () =>
  new SignInError(
    'unsupported_server',
    'The EHR does not publish the keys that sign its id_tokens, so Ambient Scribe cannot confirm who signed in.',
    { reason: 'auth.no_signing_keys' },
  );

// ---- the browser comes back ------------------------------------------------------------------------

export const accessDenied = () =>
  new SignInError('access_denied', 'Sign-in was cancelled or refused at the EHR.', { reason: 'auth.access_denied' });

/** `error` is quoted only when it is one of RFC 6749's codes; anything else reads "unknown error". */
export const authorizationRefused = (error: string) =>
  new SignInError(
    'authorization_failed',
    `The EHR ended the sign-in with an error (${error}). Try again, or ask IT to check Ambient Scribe's registration with the EHR.`,
    {
      reason: 'auth.authorization_refused',
      details: { error },
    },
  );

export const noAuthorizationCode = () =>
  new SignInError('authorization_failed', 'The EHR sent no usable authorization code. Sign in again.', {
    reason: 'auth.no_authorization_code',
  });

export const tokenExchangeTimedOut = (cause: unknown) =>
  new SignInError('timed_out', 'The EHR did not answer in time while finishing the sign-in. Sign in again.', {
    reason: 'auth.token_exchange_timed_out',
    cause,
  });

/** `oauthError` only from RFC 6749's list of token errors. */
export const tokenExchangeRefused = (status: number, oauthError: string | undefined, cause: unknown) =>
  new SignInError(
    'token_exchange_failed',
    `The EHR did not exchange the sign-in for a token (HTTP ${status}${oauthError ? `, ${oauthError}` : ''}). Sign in again.`,
    {
      reason: 'auth.token_exchange_refused',
      details: oauthError ? { status, error: oauthError } : { status },
      cause,
    },
  );

export const tokenEndpointUnreachable = (cause: unknown) =>
  new SignInError('token_exchange_failed', 'The EHR could not be reached to finish the sign-in. Check the network and sign in again.', {
    reason: 'auth.token_endpoint_unreachable',
    cause,
  });

export const notABearerToken = () =>
  new SignInError('token_exchange_failed', 'The EHR sent a token Ambient Scribe cannot use (not a bearer token).', {
    reason: 'auth.not_a_bearer_token',
  });

// ---- who signed in ---------------------------------------------------------------------------------

export const noIdToken = () =>
  new SignInError(
    'identity_invalid',
    'The EHR did not say who signed in (no id_token). Ask IT to allow the openid and fhirUser scopes for Ambient Scribe.',
    { reason: 'auth.no_id_token' },
  );

export const idTokenUnverified = (cause: unknown) =>
  new SignInError(
    'identity_invalid',
    "The EHR's statement of who signed in (id_token) could not be verified, so the sign-in was not accepted.",
    { reason: 'auth.id_token_unverified', cause },
  );

export const noFhirUser = () =>
  new SignInError(
    'identity_invalid',
    'The EHR did not name the signed-in user as a FHIR resource (fhirUser). Ask IT to allow the fhirUser scope for Ambient Scribe.',
    { reason: 'auth.no_fhir_user' },
  );

export const notAPractitioner = (type: string) =>
  new SignInError('not_a_practitioner', 'Only clinicians and their staff can sign in to Ambient Scribe, not patients or their relatives.', {
    reason: 'auth.not_a_practitioner',
    details: { type },
  });

// ---- a sign-in that ends without a session ---------------------------------------------------------

export const signInCancelled = () => new SignInError('cancelled', 'Sign-in was cancelled.', { reason: 'auth.cancelled' });

export const appClosing = () => new SignInError('cancelled', 'Ambient Scribe is closing.', { reason: 'auth.app_closing' });

export const launchTurnedOff = () => new SignInError('cancelled', 'EHR launch was turned off.', { reason: 'auth.launch_turned_off' });

export const superseded = () => new SignInError('superseded', 'A newer sign-in replaced this one.', { reason: 'auth.superseded' });

export const signInTimedOut = () =>
  new SignInError('timed_out', 'Sign-in was not completed in the browser in time. Start it again when you are ready.', {
    reason: 'auth.sign_in_timed_out',
  });

// ---- a session that ends ---------------------------------------------------------------------------

export const nobodySignedIn = () => new SignInError('session_expired', 'No clinician is signed in.', { reason: 'auth.nobody_signed_in' });

export const signedOut = () =>
  new SignInError('session_expired', 'You are signed out. Sign in again to continue.', { reason: 'auth.signed_out' });

export const sessionEnded = () =>
  new SignInError('session_expired', 'Your EHR session has ended. Sign in again to continue.', { reason: 'auth.session_ended' });

export const sessionNotRenewed = (cause: unknown) =>
  new SignInError('session_expired', 'Your EHR session could not be renewed. Sign in again to continue.', {
    reason: 'auth.session_not_renewed',
    cause,
  });

export const signedOutDuringRenewal = () =>
  new SignInError('session_expired', 'You signed out while the session was being renewed.', { reason: 'auth.signed_out_during_renewal' });

export const ehrSettingsChanged = () =>
  new SignInError('session_expired', 'The EHR settings changed, so you were signed out. Sign in again.', {
    reason: 'auth.ehr_settings_changed',
  });
