import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexStructureDefinitionBundle } from '@medplum/core';
import type { ElementDefinition, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { packageRoot } from '../kernel/app-identity.js';
import { loadBaseR4Definitions } from './fhir-definitions.js';

export const US_CORE = {
  documentReference: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference',
  encounterDiagnosis: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-encounter-diagnosis',
  provenance: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-provenance',
  patient: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient',
  practitioner: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner',
  encounter: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter',
  organization: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-organization',
} as const;

const PROFILE_BY_TYPE: Readonly<Record<string, string>> = {
  DocumentReference: US_CORE.documentReference,
  Provenance: US_CORE.provenance,
  Patient: US_CORE.patient,
  Practitioner: US_CORE.practitioner,
  Encounter: US_CORE.encounter,
  Organization: US_CORE.organization,
};

/**
 * The US Core 8.0.0 profiles we validate against, loaded by path at run time (they are HL7's data,
 * not ours, and not bundled). When the folder is absent, validation falls back to base R4 and says
 * so through `source` and `absentReason`, so nobody believes US Core was checked when it was not.
 */
export interface ProfileSet {
  readonly source: 'us-core-8.0.0' | 'base-r4';
  readonly absentReason?: string | undefined;
  /** The profile a resource is checked against, or undefined for base R4 only. */
  profileFor(resource: Resource): StructureDefinition | undefined;
  /** Resource type a profile URL constrains (base and loaded profiles), for reference target checks. */
  typeOfProfile(url: string): string | undefined;
  /** Terminology resources (ValueSet, CodeSystem) shipped beside the profiles. */
  readonly terminology: readonly unknown[];
}

/** $SCRIBE_US_CORE_DIR, else ../shared/interop-samples/us-core-profiles beside the package. */
export function defaultUsCoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['SCRIBE_US_CORE_DIR'] ?? join(packageRoot, '..', 'shared', 'interop-samples', 'us-core-profiles');
}

/**
 * Medplum 4.5.2 cannot build its schema for us-core-provenance: `Provenance.entity.agent` is a
 * contentReference to the sliced `Provenance.agent`, and the loader reads the slices as belonging to
 * entity.agent. Giving entity.agent its own copy of the base agent children (without slices) is what
 * the contentReference means anyway.
 */
export function fixUpProvenanceProfile(sd: StructureDefinition): StructureDefinition {
  const elements = sd.snapshot?.element;
  if (!elements) return sd;
  const at = elements.findIndex((e) => e.path === 'Provenance.entity.agent' && e.contentReference);
  if (at < 0) return sd;
  const children: ElementDefinition[] = elements
    .filter((e) => e.id?.startsWith('Provenance.agent.') && !e.id.includes(':'))
    .map((e) => ({
      ...structuredClone(e),
      id: e.id!.replace('Provenance.agent.', 'Provenance.entity.agent.'),
      path: e.path.replace('Provenance.agent.', 'Provenance.entity.agent.'),
    }));
  const fixed: ElementDefinition = { ...elements[at]!, type: [{ code: 'BackboneElement' }] };
  delete fixed.contentReference;
  return { ...sd, snapshot: { ...sd.snapshot, element: [...elements.slice(0, at), fixed, ...children, ...elements.slice(at + 1)] } };
}

function readJsonFile(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** `null` validates against base R4 only, on purpose. */
export function loadUsCoreProfiles(dir: string | null = defaultUsCoreDir()): ProfileSet {
  loadBaseR4Definitions();
  const baseType = (url: string) => {
    const m = /^http:\/\/hl7\.org\/fhir\/StructureDefinition\/([A-Za-z]+)$/.exec(url);
    return m?.[1];
  };
  if (!dir || !existsSync(dir)) {
    return {
      source: 'base-r4',
      absentReason: `US Core profiles not found${dir ? ` in ${dir}` : ''}; validating against base FHIR R4 only.`,
      profileFor: () => undefined,
      typeOfProfile: baseType,
      terminology: [],
    };
  }
  const byUrl = new Map<string, StructureDefinition>();
  const terminology: unknown[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const resource = readJsonFile(join(dir, name)) as Resource;
    if (resource.resourceType === 'StructureDefinition' && resource.snapshot && resource.url) {
      byUrl.set(resource.url, resource.url === US_CORE.provenance ? fixUpProvenanceProfile(resource) : resource);
    } else if (resource.resourceType === 'ValueSet' || resource.resourceType === 'CodeSystem') {
      terminology.push(resource);
    }
  }
  // Profiles slice in the US Core extensions by URL: the validator must know them first.
  indexStructureDefinitionBundle([...byUrl.values()].filter((sd) => sd.type === 'Extension'));
  const missing = Object.values(US_CORE).filter((url) => !byUrl.has(url));
  return {
    source: 'us-core-8.0.0',
    absentReason: missing.length > 0 ? `Missing US Core profiles: ${missing.map((u) => u.split('/').pop()).join(', ')}.` : undefined,
    profileFor(resource) {
      if (resource.resourceType === 'Condition') {
        const isEncounterDiagnosis = resource.category?.some((c) => c.coding?.some((k) => k.code === 'encounter-diagnosis'));
        return isEncounterDiagnosis ? byUrl.get(US_CORE.encounterDiagnosis) : undefined;
      }
      const url = PROFILE_BY_TYPE[resource.resourceType];
      return url ? byUrl.get(url) : undefined;
    },
    typeOfProfile: (url) => byUrl.get(url)?.type ?? baseType(url),
    terminology,
  };
}
