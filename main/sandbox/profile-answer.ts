import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { PreferReturn, SandboxProfile, SandboxRefusal } from './profiles/profile.js';

/** The `Prefer` header's `return=` and `handling=` values (RFC 7240; FHIR R4 http.html). */
export function parsePrefer(header: string | string[] | undefined): { return?: PreferReturn; strict: boolean } {
  const tokens = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(/[,;]/).map((t) => t.trim());
  const ret = tokens.find((t) => t.startsWith('return='))?.slice('return='.length);
  const known: readonly PreferReturn[] = ['minimal', 'representation', 'OperationOutcome'];
  return {
    ...(ret && (known as readonly string[]).includes(ret) ? { return: ret as PreferReturn } : {}),
    strict: tokens.includes('handling=strict'),
  };
}

/** A refusal as its OperationOutcome (Oracle's 422s all read the same: the rule is only in X-Sandbox-Rule). */
export function refusalOutcome(profile: SandboxProfile, r: SandboxRefusal): OperationOutcome {
  if (r.status === 422 && profile.unprocessableBody === 'generic') {
    return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text: 'Unprocessable entity' } }] };
  }
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: r.severity ?? 'error',
        code: r.code,
        details: { ...(r.vendorCode ? { coding: [{ code: r.vendorCode }] } : {}), text: r.text },
        ...(r.diagnostics ? { diagnostics: r.diagnostics } : {}),
        ...(r.expression ? { expression: [r.expression] } : {}),
      },
    ],
  };
}

export interface WriteAnswer {
  readonly status: number;
  readonly body: Resource | undefined;
  readonly headers: Record<string, string>;
}

/**
 * A successful create or update as the profile answers it: Location in its style, ETag or none,
 * and the body `Prefer: return=` asks for as far as the profile honours it.
 */
export function writeAnswer(
  profile: SandboxProfile,
  fhirBaseUrl: string,
  status: number,
  stored: Resource,
  version: number,
  prefer: PreferReturn | undefined,
): WriteAnswer {
  const headers: Record<string, string> = {};
  const path = `${stored.resourceType}/${stored.id}`;
  const etag = etagOf(profile, stored, version);
  if (etag) headers['etag'] = etag;
  if (stored.meta?.lastUpdated && profile.etag !== 'none') headers['last-modified'] = new Date(stored.meta.lastUpdated).toUTCString();
  if (status === 201 || status === 200) {
    headers['location'] =
      profile.location === 'relative'
        ? path
        : profile.location === 'absolute'
          ? `${fhirBaseUrl}/${path}`
          : `${fhirBaseUrl}/${path}/_history/${stored.meta?.versionId ?? ''}`;
  }
  const body = profile.answerBody(prefer);
  if (body === 'representation') return { status, body: stored, headers };
  if (body === 'minimal') return { status, body: undefined, headers };
  return {
    status,
    headers,
    body: {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', details: { text: status === 201 ? 'Created.' : 'Updated.' } }],
    },
  };
}

export function etagOf(profile: SandboxProfile, resource: Resource, version: number): string | undefined {
  if (profile.etag === 'none') return undefined;
  if (profile.etag === 'counter') return `W/"${version}"`;
  return resource.meta?.versionId ? `W/"${resource.meta.versionId}"` : undefined;
}
