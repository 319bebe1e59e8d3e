import type { AddendumAttestation } from '../../shared/domain/addendum.js';
import type { AuditAction } from '../../shared/domain/audit.js';
import type { Attestation } from '../../shared/domain/note.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../store/clock.js';
import type { Store } from '../store/store.js';
import type { VisitLifecycle } from '../visits/lifecycle.js';
import { DELIVERY_STATES } from '../visits/lifecycle.js';
import type { OutboxRepository } from '../writeback/outbox-repository.js';
import type { ContentSources, SignedContent } from './signed-content.js';
import { addendumContent, noteContent, SIGNABLE_STATES } from './signed-content.js';
import type { SignerResolver } from './signer-resolution.js';
import type { SignedKind } from './signing-errors.js';
import { signingRoleForbidden, unsupportedUnacknowledged, visitNotSignable } from './signing-errors.js';
import { signatureOver } from './signature.js';

export interface SigningDeps extends ContentSources {
  readonly store: Store;
  readonly outbox: Pick<OutboxRepository, 'forVisit' | 'enqueue' | 'visitDeliveryState'>;
  /** Every state change goes through the lifecycle table. */
  readonly lifecycle: Pick<VisitLifecycle, 'transition'>;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly clock: Clock;
  /** Whether this role may sign (machine policy; clinicians by default). */
  readonly maySign?: (role: Actor['role']) => boolean;
  /** Which EHR practitioner the actor signs as (refuses when none can be vouched for). */
  readonly resolveSigner: SignerResolver;
}

export interface SignNoteResult {
  readonly attestation: Attestation;
  readonly jobId: string;
}

export interface SignAddendumResult {
  readonly attestation: AddendumAttestation;
  readonly jobId: string;
  readonly state: 'queued';
}

/**
 * Signing, for a note and its addenda alike: exactly the revision the signer was shown is attested
 * (SHA-256 of its text, signer, time), locked, and queued as one outbox job, in one transaction.
 */
export interface SigningService {
  /**
   * A note with drafted sentences no transcript line backs is signed only when `acknowledgeUnsupported`
   * says the clinician checked them.
   */
  signNote(
    visitId: VisitId,
    revision: number,
    actor: Actor,
    options?: { readonly acknowledgeUnsupported?: boolean | undefined },
  ): Promise<SignNoteResult>;
  /** The open addendum, sent after the original note on the route the original took. */
  signAddendum(visitId: VisitId, revision: number, actor: Actor): Promise<SignAddendumResult>;
}

const SIGNED_ACTION: Record<SignedKind, AuditAction> = { note: 'note.signed', addendum: 'note.addendum_signed' };

export function createSigningService(deps: SigningDeps): SigningService {
  const maySign = deps.maySign ?? ((role) => role === 'clinician');

  /** Where the visit goes: a signed note makes it 'signed'; an addendum leaves it 'signed' or 'failed' until every job is delivered. */
  function settleVisit(content: SignedContent): void {
    const visitId = content.visit.id;
    const moved =
      content.kind === 'note'
        ? deps.lifecycle.transition(visitId, SIGNABLE_STATES, 'signed')
        : deps.lifecycle.transition(visitId, DELIVERY_STATES, deps.outbox.visitDeliveryState(visitId));
    if (!moved) throw visitNotSignable(content.kind, content.visit.state);
  }

  async function sign(kind: SignedKind, visitId: VisitId, revision: number, actor: Actor, acknowledgeUnsupported: boolean) {
    if (!maySign(actor.role)) throw signingRoleForbidden(kind);
    // Settled (and checked with the EHR) before the transaction: a refusal locks nothing.
    const signer = await deps.resolveSigner(actor);
    const signed = deps.store.transaction(() => {
      const content = kind === 'note' ? noteContent(deps, visitId, revision) : addendumContent(deps, visitId, revision);
      const { unsupported } = content;
      if (unsupported.count > 0 && !acknowledgeUnsupported) throw unsupportedUnacknowledged(unsupported);
      const { attestation, payload } = signatureOver(content, signer, deps.clock.now());
      if (kind === 'note') deps.notes.attest(attestation);
      else deps.addenda.attest(addendumAttestation(attestation, content.seq));
      const follows = content.follows ? { addendum: { seq: content.seq, parentJobId: content.follows.jobId } } : {};
      const job = deps.outbox.enqueue({ visitId, route: content.route, payload, ...follows });
      settleVisit(content);
      deps.audit.append({ actor: actor.id, action: SIGNED_ACTION[kind], objectType: 'visit', objectId: visitId });
      if (unsupported.count > 0) {
        deps.audit.append({
          actor: actor.id,
          action: 'note.unsupported_acknowledged',
          objectType: 'visit',
          objectId: `${visitId}:count:${unsupported.count}`,
        });
      }
      deps.audit.append({ actor: actor.id, action: 'outbox.queued', objectType: 'outbox_job', objectId: job.id });
      return { attestation, seq: content.seq, jobId: job.id };
    });
    if (kind === 'addendum') deps.events.emit('addendum:changed', { visitId, seq: signed.seq, revision });
    deps.events.emit('outbox:changed', { jobId: signed.jobId, visitId, state: 'queued' });
    return signed;
  }

  return {
    async signNote(visitId, revision, actor, options = {}) {
      const { attestation, jobId } = await sign('note', visitId, revision, actor, options.acknowledgeUnsupported === true);
      return { attestation, jobId };
    },
    async signAddendum(visitId, revision, actor) {
      const { attestation, seq, jobId } = await sign('addendum', visitId, revision, actor, false);
      return { attestation: addendumAttestation(attestation, seq), jobId, state: 'queued' };
    },
  };
}

/** An addendum's signature as stored and shown: the same attestation, numbered, its hash named `sha256`. */
function addendumAttestation({ visitId, revision, noteSha256, signedBy, signedAt }: Attestation, seq: number): AddendumAttestation {
  return { visitId, seq, revision, sha256: noteSha256, signedBy, signedAt };
}
