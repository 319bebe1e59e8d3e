import type { Provenance } from '@medplum/fhirtypes';
import type { ServerCapabilities } from '../../fhir/fhir-client.js';
import type { FhirTargetConfig } from '../../fhir/fhir-target-config.js';
import type { NoteResources, PlannedEntry } from './resource-plan.js';

export interface SkippedResources {
  readonly type: string;
  readonly count: number;
  /** For the outbox view: why this EHR does not get them, and where their content is instead. */
  readonly why: string;
}

export interface WritePlan {
  readonly resources: NoteResources;
  readonly skipped: readonly SkippedResources[];
}

const DIAGNOSES_IN_TEXT = "the diagnoses are in the signed note's text";

/**
 * What to write to this EHR, from what its CapabilityStatement offers and its vendor's published
 * rules (docs/ehr-vendors.md): the DocumentReference always (the caller refuses a server that takes
 * none); Conditions only where they are accepted as we send them (encounter diagnoses, confirmed);
 * Provenance only where it can be created, pointing only at what is written.
 */
export function planWrites(resources: NoteResources, capabilities: ServerCapabilities, vendor: FhirTargetConfig['vendor']): WritePlan {
  const skipped: SkippedResources[] = [];
  let conditions = resources.conditions;
  if (conditions.length > 0 && (!capabilities.creates('Condition') || vendor === 'epic')) {
    const why =
      vendor === 'epic'
        ? `Epic takes no encounter diagnoses over FHIR and new problems only as provisional: ${DIAGNOSES_IN_TEXT}.`
        : `This EHR offers no Condition create: ${DIAGNOSES_IN_TEXT}.`;
    skipped.push({ type: 'Condition', count: conditions.length, why });
    conditions = [];
  }
  const written = new Set([resources.documentReference.fullUrl, ...conditions.map((c) => c.fullUrl)]);
  let provenance: PlannedEntry | undefined = resources.provenance;
  if (provenance && !capabilities.creates('Provenance')) {
    skipped.push({
      type: 'Provenance',
      count: 1,
      why: 'This EHR offers no Provenance create: the note names its author and the clinician who signed it.',
    });
    provenance = undefined;
  } else if (provenance) {
    provenance = { ...provenance, resource: provenanceFor(provenance.resource as Provenance, written, vendor) };
  }
  const entries = [resources.documentReference, ...conditions, ...(provenance ? [provenance] : [])];
  return { resources: { ...resources, conditions, provenance, entries }, skipped };
}

/** Targets only what is written; Oracle takes one target and one agent, so the note and its author. */
function provenanceFor(provenance: Provenance, written: ReadonlySet<string>, vendor: FhirTargetConfig['vendor']): Provenance {
  const target = provenance.target.filter((t) => t.reference !== undefined && written.has(t.reference));
  if (vendor !== 'oracle') return { ...provenance, target };
  const author = provenance.agent.filter((a) => a.type?.coding?.some((c) => c.code === 'author')).slice(0, 1);
  const { contained: _device, ...rest } = provenance;
  void _device;
  return { ...rest, target: target.slice(0, 1), agent: author };
}
