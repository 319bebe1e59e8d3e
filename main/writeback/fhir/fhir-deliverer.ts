import type { Bundle, Encounter, Identifier, Patient, Period, Reference, Resource } from '@medplum/fhirtypes';
import { appIdentity } from '../../kernel/app-identity.js';
import type { Logger } from '../../log/logger.js';
import { nullLogger } from '../../log/logger.js';
import type { Deliverer, DeliveryJob, DeliveryOutcome, DeliveryReceipt, WriteLedger } from '../delivery.js';
import { memoryWriteLedger } from '../delivery.js';
import { createFhirClient } from '../../fhir/fhir-client.js';
import type { FhirClient, ServerCapabilities } from '../../fhir/fhir-client.js';
import { parseLocation } from '../../fhir/fhir-client.js';
import { FhirDeliveryError } from '../../fhir/fhir-errors.js';
import { rewriteReferences } from '../../fhir/fhir-references.js';
import { FhirTargetConfig } from '../../fhir/fhir-target-config.js';
import type { FhirTargetConfigInput } from '../../fhir/fhir-target-config.js';
import { bundleTypesOf, buildNoteResources, IDEMPOTENCY_KEY, toTransactionBundle } from './note-resources.js';
import { buildAddendumResources } from './addendum-resources.js';
import type { NoteResources, PlannedEntry } from './resource-plan.js';
import { planWrites } from './write-plan.js';
import { createBackendTokenSource } from '../../fhir/smart-backend-auth.js';
import { loadUsCoreProfiles } from '../../fhir/us-core-profiles.js';
import type { ProfileSet } from '../../fhir/us-core-profiles.js';
import { createResourceValidator, errorsOf } from '../../fhir/us-core-validation.js';
import type { ResourceValidator } from '../../fhir/us-core-validation.js';

export interface FhirDelivererOptions {
  readonly config: FhirTargetConfigInput;
  /** Default: the US Core 8.0.0 profiles from defaultUsCoreDir(), or base R4 when absent. */
  readonly profiles?: ProfileSet;
  readonly logger?: Logger;
  readonly fetch?: typeof fetch;
  readonly software?: { readonly name: string; readonly version: string };
}

type ReceiptResource = { type: string; id: string; versionId?: string | undefined };

function receiptOf(resource: Resource | undefined, location?: string): ReceiptResource | undefined {
  if (resource?.id) return { type: resource.resourceType, id: resource.id, versionId: resource.meta?.versionId };
  return parseLocation(location);
}

/**
 * Writes one signed note to a FHIR R4 EHR: validates every resource against US Core before anything
 * is sent (a resource that fails is never sent), then one transaction of conditional creates where
 * the server offers both, else the creates one by one in order under the job's write ledger (a
 * resend keeps what reached the server, and a create whose answer was lost is looked for by our
 * identifier only where the server searches by it, else the outcome is unknown and a person
 * decides). Logs carry job ids, codes and timings; never the server's words.
 */
export class FhirDeliverer implements Deliverer {
  readonly target = 'fhir' as const;
  private readonly config: FhirTargetConfig;
  private readonly client: FhirClient;
  private readonly validator: ResourceValidator;
  private readonly logger: Logger;
  private readonly software: { readonly name: string; readonly version: string };

  constructor(options: FhirDelivererOptions) {
    this.config = FhirTargetConfig.parse(options.config);
    this.logger = options.logger ?? nullLogger;
    this.software = options.software ?? appIdentity;
    this.validator = createResourceValidator(options.profiles ?? loadUsCoreProfiles());
    const tokens = createBackendTokenSource({ ...this.config, fetch: options.fetch });
    this.client = createFhirClient({ ...this.config, tokens, fetch: options.fetch });
    if (this.validator.profiles.source !== 'us-core-8.0.0')
      this.logger.warn('fhir.profiles_absent', { source: this.validator.profiles.source });
  }

  /** What `deliver` would send, validated, without sending it (for previews and tests). */
  prepare(
    job: DeliveryJob,
    organizationId: string | undefined = this.config.organizationId,
    encounterPeriod?: Period,
  ): { resources: NoteResources; problems: string[] } {
    const options = { organizationId, encounterPeriod, softwareName: this.software.name, softwareVersion: this.software.version };
    const resources = job.payload.addendum ? buildAddendumResources(job, options) : buildNoteResources(job, options);
    return { resources, problems: this.problemsOf(resources) };
  }

  private problemsOf(resources: NoteResources): string[] {
    const bundleTypes = bundleTypesOf(resources);
    return resources.entries.flatMap((e) => {
      const label =
        e.resource.resourceType === 'Condition' ? `Condition ${e.resource.code?.coding?.[0]?.code ?? ''}`.trim() : e.resource.resourceType;
      return errorsOf(this.validator.validate(e.resource, { mode: 'outgoing', bundleTypes })).map(
        (i) => `${label}: ${i.expression}: ${i.message}`,
      );
    });
  }

  async deliver(job: DeliveryJob, signal: AbortSignal): Promise<DeliveryOutcome> {
    const started = performance.now();
    const progress = { wrote: false };
    try {
      if (signal.aborted) throw new FhirDeliveryError('retry', 'aborted', 'The delivery was cancelled before it started.');
      if (!IDEMPOTENCY_KEY.test(job.idempotencyKey))
        throw new FhirDeliveryError('failed', 'invalid_job', 'The job idempotency key cannot be used in a FHIR search.');
      const capabilities = await this.client.capabilities(signal);
      if (!capabilities.creates('DocumentReference')) {
        throw new FhirDeliveryError(
          'failed',
          'note_write_not_offered',
          "This EHR takes no notes over FHIR (its CapabilityStatement offers no DocumentReference create). Send notes over HL7 v2 instead: set the EHR route (ehrRouting) to 'hl7v2'.",
        );
      }
      const context = await this.readContext(job, signal);
      const built = this.prepare(job, context.organizationId, context.encounterPeriod);
      const plan = planWrites(built.resources, capabilities, this.config.vendor);
      if (plan.resources.provenance && !context.organizationId) {
        throw new FhirDeliveryError(
          'failed',
          'no_organization',
          'No Organization to record the note on behalf of: the encounter names no serviceProvider and the patient no managingOrganization. Set the FHIR connection organization id.',
        );
      }
      const problems = this.problemsOf(plan.resources);
      if (problems.length > 0) {
        throw new FhirDeliveryError(
          'failed',
          'invalid_resource',
          `The note was not sent: it does not conform to US Core 8.0.0. ${problems.join('; ')}`,
        );
      }
      const { resources } = plan;
      // A resent transaction is safe only where the server honours If-None-Exist for every entry.
      const transaction =
        capabilities.transactions && resources.entries.every((e) => capabilities.conditionalCreate(e.resource.resourceType));
      const written = transaction
        ? await this.viaTransaction(resources, signal)
        : await this.viaSingleRequests(resources, capabilities, job.ledger ?? memoryWriteLedger(), signal, progress);
      const receipt = plan.skipped.length > 0 ? { ...written, skipped: plan.skipped } : written;
      this.logger.info('fhir.delivered', {
        jobId: job.jobId,
        attempt: job.attempt,
        mode: transaction ? 'transaction' : 'requests',
        resources: receipt.resources.length,
        skipped: plan.skipped.length,
        ms: Math.round(performance.now() - started),
      });
      return { kind: 'delivered', receipt };
    } catch (error) {
      const failure = this.classify(error, signal, progress.wrote);
      this.logger.warn('fhir.delivery_problem', {
        jobId: job.jobId,
        attempt: job.attempt,
        kind: failure.kind,
        code: failure.code,
        status: failure.status,
      });
      if (failure.kind === 'retry')
        return { kind: 'retry', code: failure.code, reason: failure.reason, retryAfterMs: failure.retryAfterMs };
      return { kind: failure.kind, code: failure.code, reason: failure.reason };
    }
  }

  private classify(error: unknown, signal: AbortSignal, wrote: boolean): FhirDeliveryError {
    const failure =
      error instanceof FhirDeliveryError
        ? error
        : signal.aborted
          ? new FhirDeliveryError('retry', 'aborted', 'The delivery was cut short; it will be resent.', { cause: error })
          : new FhirDeliveryError(
              'retry',
              'internal',
              `The delivery failed unexpectedly (${error instanceof Error ? error.name : 'error'}); it will be resent.`,
              { cause: error },
            );
    if (!wrote) return failure;
    // Part of the note may be in the EHR: "unreachable" must not send it elsewhere, and a refusal
    // must say so (routing must not fall back to another target on this code).
    if (failure.kind === 'unreachable') return new FhirDeliveryError('retry', 'connection_lost', failure.reason, { cause: failure });
    if (failure.kind === 'failed') {
      return new FhirDeliveryError(
        'failed',
        'partial_write',
        `Part of the note was written to the EHR before it refused the rest. ${failure.reason}`,
        { status: failure.status, cause: failure },
      );
    }
    return failure;
  }

  /**
   * What the note is recorded against, read from the EHR: the encounter's period (the note's
   * context.period) and the Organization it is on behalf of (configured, else the encounter's
   * serviceProvider, else the patient's managingOrganization).
   */
  private async readContext(job: DeliveryJob, signal: AbortSignal): Promise<{ organizationId?: string; encounterPeriod?: Period }> {
    const orgId = (ref: string | undefined) => (parseLocation(ref)?.type === 'Organization' ? parseLocation(ref)?.id : undefined);
    const { encounterId, patient } = job.payload;
    const encounter = encounterId ? await this.client.read<Encounter>('Encounter', encounterId, signal) : undefined;
    const encounterPeriod = encounter?.period;
    const organizationId =
      this.config.organizationId ??
      orgId(encounter?.serviceProvider?.reference) ??
      orgId((await this.client.read<Patient>('Patient', patient.id, signal)).managingOrganization?.reference);
    return { ...(organizationId ? { organizationId } : {}), ...(encounterPeriod ? { encounterPeriod } : {}) };
  }

  private async viaTransaction(resources: NoteResources, signal: AbortSignal): Promise<Extract<DeliveryReceipt, { target: 'fhir' }>> {
    const bundle = toTransactionBundle(resources);
    // A transaction is all or nothing, so a refusal leaves nothing behind; but once it is sent an
    // unanswered one may have committed, which the network classification already treats as retry.
    const response: Bundle = await this.client.transaction(bundle, signal);
    const entries = response.entry ?? [];
    if (entries.length !== resources.entries.length) {
      throw new FhirDeliveryError(
        'retry',
        'bad_response',
        'The EHR answered the transaction with a different number of entries; it will be resent.',
      );
    }
    const receipt = entries.map((e, i) => {
      const status = e.response?.status ?? '';
      if (!/^2\d\d/.test(status))
        throw new FhirDeliveryError(
          'retry',
          'bad_response',
          `The EHR reported entry ${i + 1} of the transaction as ${status || 'unknown'}; it will be resent.`,
        );
      const r = receiptOf(e.resource, e.response?.location);
      if (!r) throw new FhirDeliveryError('retry', 'bad_response', 'The EHR did not say where it stored the note; it will be resent.');
      return r;
    });
    return { target: 'fhir', resources: receipt };
  }

  /**
   * One create at a time, for a server without transactions (or without conditional create inside
   * them). The job's write ledger decides each entry: created by an earlier attempt → kept; never sent
   * → sent now (recorded as sent first); sent without a recorded answer → looked for by our identifier
   * where the server is known to search by it, else the job's outcome is unknown and a person decides.
   * A search hit counts only if it carries our identifier and the same subject and type.
   */
  private async viaSingleRequests(
    resources: NoteResources,
    capabilities: ServerCapabilities,
    ledger: WriteLedger,
    signal: AbortSignal,
    progress: { wrote: boolean },
  ): Promise<Extract<DeliveryReceipt, { target: 'fhir' }>> {
    const placed = new Map<string, string>();
    const receipt: ReceiptResource[] = [];
    const prior = ledger.entries();
    const writeOne = async (entry: PlannedEntry): Promise<ReceiptResource> => {
      const resource = rewriteReferences(entry.resource, placed);
      const type = resource.resourceType;
      const before = prior.get(entry.fullUrl);
      if (before?.state === 'created' && before.resourceId) return { type, id: before.resourceId };
      if (before?.state === 'sent') {
        const found = await this.reconcile(entry, resource, capabilities, signal);
        if (found) {
          ledger.created(entry.fullUrl, type, found.id);
          return found;
        }
        ledger.cleared(entry.fullUrl);
      }
      const conditional = capabilities.conditionalCreate(type);
      ledger.sent(entry.fullUrl, type);
      const { resource: stored, location } = await this.client.create(resource, conditional ? entry.ifNoneExist : undefined, signal);
      const r = receiptOf(stored, location);
      if (!r) throw new FhirDeliveryError('unknown', 'no_location', `The EHR stored the ${type} without saying where.`);
      ledger.created(entry.fullUrl, type, r.id);
      return r;
    };
    for (const entry of resources.entries) {
      const r = await writeOne(entry);
      // From here on the EHR holds part of this note (written now or by an earlier attempt).
      progress.wrote = true;
      placed.set(entry.fullUrl, `${r.type}/${r.id}`);
      receipt.push(r);
    }
    return { target: 'fhir', resources: receipt };
  }

  /**
   * After a create whose answer was lost: the resource we sent, if the server holds it. Asked only by
   * a search the CapabilityStatement says the server supports, with handling=strict; anything else is
   * a guess, so the outcome is unknown.
   */
  private async reconcile(
    entry: PlannedEntry,
    sent: Resource,
    capabilities: ServerCapabilities,
    signal: AbortSignal,
  ): Promise<ReceiptResource | undefined> {
    const type = sent.resourceType;
    const param = entry.ifNoneExist.split('=')[0] ?? '';
    if (!capabilities.searches(type, param)) {
      throw new FhirDeliveryError(
        'unknown',
        'outcome_unknown',
        `An earlier attempt sent the ${type} and its answer was lost, and this EHR cannot be asked whether it has it (it does not search by our identifier). Check the patient's chart in the EHR, then confirm in the outbox whether the note arrived.`,
      );
    }
    const query = new URLSearchParams(entry.ifNoneExist).toString();
    const ours = (await this.client.search(type, query, signal, { strict: true })).filter((found) => isOurs(found, sent, entry));
    if (ours.length > 1)
      throw new FhirDeliveryError('failed', 'duplicate_found', `The EHR already holds more than one ${type} for this note.`);
    const [found] = ours;
    return found?.id ? { type, id: found.id, versionId: found.meta?.versionId } : undefined;
  }
}

/** A search hit is ours only if it carries our identifier (or tag) and is about the same subject and of the same type. */
function isOurs(found: Resource, sent: Resource, entry: PlannedEntry): boolean {
  if (found.resourceType !== sent.resourceType) return false;
  const [param, token] = entry.ifNoneExist.split('=');
  const [system, value] = (token ?? '').split('|');
  if (param === '_tag') return (found.meta?.tag ?? []).some((t) => t.system === system && t.code === value);
  const carries = ((found as { identifier?: Identifier[] }).identifier ?? []).some((i) => i.system === system && i.value === value);
  if (!carries) return false;
  const subjectOf = (r: Resource) => (r as { subject?: Reference }).subject?.reference;
  const kindOf = (r: Resource) =>
    r.resourceType === 'DocumentReference' ? r.type?.coding?.[0]?.code : r.resourceType === 'Condition' ? r.code?.coding?.[0]?.code : '';
  return subjectOf(found) === subjectOf(sent) && kindOf(found) === kindOf(sent);
}
