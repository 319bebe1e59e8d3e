import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { VerifiedToken } from '../smart-auth.js';

/**
 * A sandbox vendor profile: what one kind of EHR offers, refuses, drops and honours, as data plus
 * small rule functions. fhir-server.ts applies the active one (docs/ehr-vendors.md, "How the sandbox
 * profiles model this", is the spec; rule ids below appear in the X-Sandbox-Rule response header).
 */
export const SANDBOX_PROFILE_NAMES = ['permissive', 'epic', 'oracle', 'athena'] as const;
export type SandboxProfileName = (typeof SANDBOX_PROFILE_NAMES)[number];

export type ResourceInteraction = 'read' | 'vread' | 'search-type' | 'create' | 'update' | 'patch' | 'delete' | 'history-instance';

/** One refusal: the HTTP status, the OperationOutcome issue, and the rule that fired. */
export interface SandboxRefusal {
  readonly status: number;
  readonly rule: string;
  readonly code: OperationOutcomeIssue['code'];
  readonly text: string;
  readonly expression?: string;
  readonly diagnostics?: string;
  /** Vendor error code, sent as `details.coding[0].code`. */
  readonly vendorCode?: string;
  readonly severity?: 'error' | 'fatal';
}

export const refusal = (
  status: number,
  rule: string,
  code: OperationOutcomeIssue['code'],
  text: string,
  more: Partial<SandboxRefusal> = {},
) => ({ status, rule, code, text, ...more }) satisfies SandboxRefusal;

/** What a create rule may look up: the caller's token and resources already stored. */
export interface CreateContext {
  readonly token: VerifiedToken;
  read(type: string, id: string): Promise<Resource | undefined>;
}

/** What the server stores of a create, and the rules that dropped something on the way. */
export interface Kept {
  readonly resource: Resource;
  readonly droppedBy: readonly string[];
}

export interface ResourceBehaviour {
  readonly interactions: readonly ResourceInteraction[];
  /** Search parameters the server uses; 'all' = every base R4 / US Core parameter of the type. */
  readonly searchParams: readonly string[] | 'all';
  /** A search the server refuses outright (a required parameter missing, a malformed period). */
  readonly searchRefusal?: (params: URLSearchParams) => SandboxRefusal | undefined;
  /** Checks on a create (and update), first refusal wins. */
  readonly check?: (resource: Resource, context: CreateContext) => Promise<SandboxRefusal | undefined>;
  /** What is stored of an accepted create; default: all of it. */
  readonly keep?: (resource: Resource) => Kept;
  /** Created resources are readable by id but absent from search (Epic's problem holding tank). */
  readonly holdingTank?: boolean;
  /** Ids of created resources are this prefix and a counter (Oracle's `p<n>` Conditions). */
  readonly idPrefix?: string;
}

export type PreferReturn = 'minimal' | 'representation' | 'OperationOutcome';

export interface SandboxProfile {
  readonly name: SandboxProfileName;
  readonly resources: Readonly<Record<string, ResourceBehaviour>>;
  /** Resource types not in `resources`: undefined = not offered (405). */
  readonly otherTypes?: ResourceBehaviour;
  /** System interactions: a Bundle POSTed to the base. */
  readonly transaction: boolean;
  readonly batch: boolean;
  /** `If-None-Exist` honoured (and conditionalCreate in the CapabilityStatement). */
  readonly conditionalCreate: boolean;
  /** Incoming resources are validated against US Core 8.0.0 (else base R4 plus the profile's rules). */
  readonly usCoreValidation: boolean;
  /** `Prefer: handling=strict` refuses unknown search parameters. */
  readonly strictHandling: boolean;
  /** The body of a write's answer for a `Prefer: return=` value (undefined: none sent). */
  readonly answerBody: (prefer: PreferReturn | undefined) => PreferReturn;
  readonly location: 'absolute-history' | 'absolute' | 'relative';
  /** 'resource': W/"<versionId>" as stored; 'counter': W/"1", W/"2" ... per resource; 'none'. */
  readonly etag: 'resource' | 'counter' | 'none';
  /** PUT needs If-Match with the current version. */
  readonly updateNeedsIfMatch: boolean;
  /** A token without the scope: an OperationOutcome, or 403 with an empty body. */
  readonly forbiddenBody: 'outcome' | 'empty';
  /** How a 422 reads: the rule's own issue, or always one `invalid` "Unprocessable entity". */
  readonly unprocessableBody: 'rule' | 'generic';
}

export const ALL_READ: readonly ResourceInteraction[] = ['read', 'search-type'];

/** The top-level fields of `resource` other than `kept` (resourceType and id always stay). */
export function unkeptFields(resource: Resource, kept: readonly string[]): string[] {
  return Object.keys(resource).filter((k) => k !== 'resourceType' && k !== 'id' && !kept.includes(k));
}
