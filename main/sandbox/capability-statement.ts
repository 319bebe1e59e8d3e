import { getSearchParameter } from '@medplum/core';
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { loadBaseR4Definitions } from '../fhir/fhir-definitions.js';
import { US_CORE } from '../fhir/us-core-profiles.js';
import type { ResourceBehaviour, SandboxProfile } from './profiles/profile.js';
import type { SmartAuthUrls } from './smart-auth.js';

/** Medplum's router has no /metadata route: the sandbox describes itself here, honestly, as its vendor profile behaves. */
export interface CapabilityOptions {
  readonly fhirBaseUrl: string;
  readonly auth: SmartAuthUrls;
  readonly transactions: boolean;
  readonly profile: SandboxProfile;
  readonly usCore: boolean;
  readonly softwareVersion: string;
  readonly date: string;
}

const RESOURCES: readonly { type: CapabilityStatementRestResource['type']; profile?: string }[] = [
  { type: 'Patient', profile: US_CORE.patient },
  { type: 'Practitioner', profile: US_CORE.practitioner },
  { type: 'Organization', profile: US_CORE.organization },
  { type: 'Encounter', profile: US_CORE.encounter },
  { type: 'DocumentReference', profile: US_CORE.documentReference },
  { type: 'Condition', profile: US_CORE.encounterDiagnosis },
  // Seeded medication lists; writes of these are checked against base R4 only (no profile shipped).
  { type: 'MedicationRequest' },
  { type: 'Medication' },
  { type: 'Provenance', profile: US_CORE.provenance },
];

/** The search parameters a resource declares: every one the profile uses that is a SearchParameter (not _count etc.). */
function searchParams(type: string, behaviour: ResourceBehaviour): CapabilityStatementRestResource['searchParam'] {
  if (behaviour.searchParams === 'all') {
    return [
      { name: '_id', type: 'token' },
      { name: 'identifier', type: 'token' },
      ...(type === 'Patient' || type === 'Practitioner' || type === 'Organization' || type === 'Medication'
        ? []
        : [{ name: 'patient', type: 'reference' as const }]),
    ];
  }
  loadBaseR4Definitions();
  return behaviour.searchParams.flatMap((name) => {
    const definition = getSearchParameter(type, name);
    return definition?.type ? [{ name, type: definition.type }] : [];
  });
}

export function buildCapabilityStatement(o: CapabilityOptions): CapabilityStatement {
  const system = [
    ...(o.profile.transaction && o.transactions ? [{ code: 'transaction' as const }] : []),
    ...(o.profile.batch ? [{ code: 'batch' as const }, { code: 'search-system' as const }] : []),
  ];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: o.date,
    kind: 'instance',
    publisher: 'Ambient Scribe sandbox',
    software: { name: 'Ambient Scribe sandbox EHR (Medplum FHIR engine, in memory)', version: o.softwareVersion },
    implementation: { description: 'Synthetic test EHR on the loopback interface. Not for real patient data.', url: o.fhirBaseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    ...(o.usCore ? { instantiates: ['http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server'] } : {}),
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: o.auth.authorize },
                { url: 'token', valueUri: o.auth.token },
              ],
            },
          ],
        },
        resource: RESOURCES.flatMap((r) => {
          const behaviour = o.profile.resources[r.type];
          if (!behaviour) return [];
          return [
            {
              type: r.type,
              ...(o.usCore && r.profile ? { supportedProfile: [r.profile] } : {}),
              interaction: behaviour.interactions.map((code) => ({ code })),
              versioning: 'versioned' as const,
              readHistory: behaviour.interactions.includes('vread'),
              conditionalCreate: o.profile.conditionalCreate && behaviour.interactions.includes('create'),
              searchParam: searchParams(r.type, behaviour),
            },
          ];
        }),
        ...(system.length > 0 ? { interaction: system } : {}),
      },
    ],
  };
}
