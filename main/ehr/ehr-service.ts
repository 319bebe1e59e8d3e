import type {
  EhrPatient,
  PatientSearchRequest,
  PatientSearchResult,
  Schedule,
  ScheduleEntry,
  StartPatientVisitRequest,
  StartVisitResult,
} from '../../shared/domain/ehr.js';
import type { PatientContext } from '../../shared/domain/visit.js';
import { UNSIGNED_VISIT_STATES } from '../../shared/domain/visit.js';
import type { Actor } from '../kernel/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../store/clock.js';
import type { VisitEncounterIndex } from '../store/visit-encounter-index.js';
import type { VisitRecords } from '../store/visit-repository.js';
import type { VisitService } from '../visits/visit-service.js';
import { readClinicalLists } from './clinical-lists.js';
import type { ClinicalLists } from './clinical-lists.js';
import type { EhrConnection } from './ehr-connection.js';
import { EhrError } from './ehr-error.js';
import type { FhirReader } from './fhir-reader.js';
import {
  FhirEncounter,
  FhirPatient,
  FhirPractitioner,
  formatName,
  practitionerRefOf,
  readSearchPage,
  referencedId,
  resourcesOf,
  toEhrEncounter,
  toEhrPatient,
} from './fhir-mapping.js';
import type { SearchPage } from './fhir-mapping.js';
import { localDay } from './local-day.js';

/**
 * Today's schedule and patient search from the EHR, and visits started from an encounter (one
 * per encounter) or for a patient found by search. Results are PHI: they go back to the caller
 * only; logs get counts and timings, the audit log who looked and how many results, never names
 * or search terms.
 */
export interface EhrService {
  schedule(request: { everyone: boolean }, actor: Actor): Promise<Schedule>;
  searchPatients(request: PatientSearchRequest, actor: Actor): Promise<PatientSearchResult>;
  /**
   * Opens the encounter's visit, creating it when there is none yet: patient details, and the
   * patient's active medications and problem list when the EHR gives them, from the EHR.
   */
  startVisit(encounterId: string, actor: Actor): Promise<StartVisitResult>;
  /**
   * A new visit, not tied to an encounter, for a patient picked from a search: patient details and
   * lists as startVisit reads them, never as the caller says; only the reason for the visit is the user's.
   */
  createVisitForPatient(request: StartPatientVisitRequest, actor: Actor): Promise<StartVisitResult>;
  /**
   * Launched from a patient's chart with no encounter: that patient's visit started today and not yet
   * signed (the newest, when there are several), else a new one as `createVisitForPatient` makes it.
   */
  openPatientVisit(patientId: string, actor: Actor): Promise<StartVisitResult>;
}

export interface EhrServiceDeps {
  readonly connection: () => Promise<EhrConnection>;
  readonly visits: VisitService;
  readonly visitRepository: Pick<VisitRecords, 'get' | 'list'>;
  readonly encounters: VisitEncounterIndex;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long the medication and problem list reads may take before the visit starts without them. */
  readonly clinicalListsTimeoutMs?: number;
}

/** Encounters read per page, and pages followed: a clinic day longer than this says it was cut short. */
const PAGE_SIZE = 100;
const MAX_PAGES = 5;
const SEARCH_LIMIT = 20;
/** `_id=a,b,c` lookups per request. */
const ID_CHUNK = 50;
const NOT_ON_SCHEDULE = new Set(['cancelled', 'entered-in-error']);
/** A visit whose note is not signed yet: an EHR launch for its patient opens it rather than starting another. */
const UNSIGNED = UNSIGNED_VISIT_STATES;
/** Visits of the day looked through for the patient's; a clinic day has far fewer. */
const TODAY_LIMIT = 1000;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The clinician starting a visit, when they are one: named as the EHR knows them, else by their user id. */
const clinicianOf = (actor: Actor): string | undefined =>
  actor.role === 'clinician' ? (actor.practitioner?.name ?? actor.id).slice(0, 200) : undefined;

export function createEhrService(deps: EhrServiceDeps): EhrService {
  const { visits, visitRepository, encounters, audit, clock, logger } = deps;

  /** A search and its following pages, up to `maxPages`. */
  const searchPages = async (
    reader: FhirReader,
    path: string,
    what: string,
    maxPages: number,
  ): Promise<{ pages: SearchPage[]; more: boolean }> => {
    const pages = [readSearchPage(await reader.get(path, what), what)];
    while (pages.at(-1)!.next && pages.length < maxPages) pages.push(readSearchPage(await reader.getUrl(pages.at(-1)!.next!, what), what));
    return { pages, more: pages.at(-1)!.next !== undefined };
  };

  /** Patients the server did not include with the encounters (many EHRs ignore _include), by id. */
  const fetchPatients = async (reader: FhirReader, ids: readonly string[]): Promise<EhrPatient[]> => {
    const found: EhrPatient[] = [];
    for (const chunk of chunks(ids, ID_CHUNK)) {
      const { pages } = await searchPages(
        reader,
        `Patient?${new URLSearchParams({ _id: chunk.join(','), _count: String(chunk.length) }).toString()}`,
        'patient lookup',
        1,
      );
      for (const page of pages) found.push(...resourcesOf(page, 'Patient', FhirPatient, 'patient lookup').map(toEhrPatient));
    }
    return found;
  };

  /** Practitioners' names for references without a display: a convenience, so any failure leaves them out. */
  const fetchPractitionerNames = async (reader: FhirReader, ids: readonly string[]): Promise<Map<string, string>> => {
    const names = new Map<string, string>();
    try {
      for (const chunk of chunks(ids, ID_CHUNK)) {
        const page = readSearchPage(
          await reader.get(
            `Practitioner?${new URLSearchParams({ _id: chunk.join(','), _count: String(chunk.length) }).toString()}`,
            'practitioner lookup',
          ),
          'practitioner lookup',
        );
        for (const p of resourcesOf(page, 'Practitioner', FhirPractitioner, 'practitioner lookup')) {
          const name = formatName(p.name, true);
          if (name) names.set(p.id, name);
        }
      }
    } catch (error) {
      logger.info('ehr.practitioner_names_unavailable', { reason: error instanceof EhrError ? error.problem : 'internal' });
    }
    return names;
  };

  const localVisit = (encounterId: string): ScheduleEntry['visit'] => {
    const id = encounters.find(encounterId);
    const visit = id === undefined ? undefined : visitRepository.get(id);
    return visit ? { id: visit.id, state: visit.state } : undefined;
  };

  /** The patient as the EHR has them, by id. */
  const readPatient = async (reader: FhirReader, patientId: string, subject: string): Promise<EhrPatient> => {
    const patient = FhirPatient.safeParse(
      await readOrNotFound(reader, `Patient/${encodeURIComponent(patientId)}`, 'patient read', subject),
    );
    if (!patient.success || patient.data.id !== patientId) throw EhrError.badResponse('patient read');
    return toEhrPatient(patient.data);
  };

  /** A new visit's patient context: the EHR's details and, when it gives them, the active lists. */
  const patientContext = async (
    reader: FhirReader,
    p: EhrPatient,
    visit: Pick<PatientContext, 'reasonForVisit' | 'clinician' | 'scheduledAt'>,
  ): Promise<{ context: PatientContext; clinicalLists: ClinicalLists['status'] }> => {
    // Never a reason not to create the visit: each list that cannot be read is left out, and the result says so.
    const lists = await readClinicalLists(reader, p.patientId, logger, deps.clinicalListsTimeoutMs);
    const context: PatientContext = {
      ...(p.displayName ? { displayName: p.displayName } : {}),
      ...(p.mrn ? { mrn: p.mrn } : {}),
      ...(p.birthDate ? { birthDate: p.birthDate } : {}),
      ...(p.sex ? { sex: p.sex } : {}),
      ...(visit.reasonForVisit ? { reasonForVisit: visit.reasonForVisit } : {}),
      ...(visit.clinician ? { clinician: visit.clinician } : {}),
      ...(visit.scheduledAt ? { scheduledAt: visit.scheduledAt } : {}),
      ...(lists.medications.length > 0 ? { medications: [...lists.medications] } : {}),
      ...(lists.problems.length > 0 ? { problems: [...lists.problems] } : {}),
    };
    return { context, clinicalLists: lists.status };
  };

  const createVisitForPatient = async (request: StartPatientVisitRequest, actor: Actor): Promise<StartVisitResult> => {
    const { reader } = await deps.connection();
    const patient = await readPatient(reader, request.patientId, 'The patient');
    const { context, clinicalLists } = await patientContext(reader, patient, {
      reasonForVisit: request.reasonForVisit?.trim(),
      clinician: clinicianOf(actor),
    });
    const opened = visits.createOrOpen({ patientId: patient.patientId, patient: context }, actor);
    return { ...opened, clinicalLists };
  };

  return {
    async schedule(request, actor) {
      const started = performance.now();
      const connection = await deps.connection();
      const day = localDay(clock.now());
      const mine = connection.practitionerId !== undefined && !request.everyone;
      const query = new URLSearchParams();
      query.append('date', `ge${day.start}`);
      query.append('date', `lt${day.end}`);
      if (mine) query.append('participant', `Practitioner/${connection.practitionerId}`);
      query.append('_include', 'Encounter:subject');
      query.append('_count', String(PAGE_SIZE));
      const { pages, more } = await searchPages(connection.reader, `Encounter?${query.toString()}`, 'schedule request', MAX_PAGES);

      const found = pages
        .flatMap((page) => resourcesOf(page, 'Encounter', FhirEncounter, 'schedule request'))
        .filter((e) => !NOT_ON_SCHEDULE.has(e.status));
      const patients = new Map(
        pages.flatMap((page) => resourcesOf(page, 'Patient', FhirPatient, 'schedule request')).map((p) => [p.id, toEhrPatient(p)]),
      );
      const missing = [
        ...new Set(
          found
            .map((e) => referencedId(e.subject?.reference, 'Patient'))
            .filter((id): id is string => id !== undefined && !patients.has(id)),
        ),
      ];
      for (const p of await fetchPatients(connection.reader, missing)) patients.set(p.patientId, p);
      const unnamed = [
        ...new Set(
          found
            .map(practitionerRefOf)
            .filter((ref) => !ref?.display?.trim())
            .map((ref) => referencedId(ref?.reference, 'Practitioner'))
            .filter((id): id is string => id !== undefined),
        ),
      ];
      const practitioners = unnamed.length > 0 ? await fetchPractitionerNames(connection.reader, unnamed) : new Map<string, string>();

      const entries: ScheduleEntry[] = found
        .map((e) => toEhrEncounter(e, patients, practitioners))
        .filter((e) => e !== undefined)
        .sort((a, b) => (a.start ?? '\uffff').localeCompare(b.start ?? '\uffff') || a.encounterId.localeCompare(b.encounterId))
        .map((e) => {
          const visit = localVisit(e.encounterId);
          return visit ? { ...e, visit } : e;
        });
      audit.append({ actor: actor.id, action: 'ehr.schedule_viewed', objectType: 'ehr_schedule', objectId: `count:${entries.length}` });
      logger.info('ehr.schedule', {
        source: connection.source,
        scope: mine ? 'mine' : 'everyone',
        count: entries.length,
        truncated: more,
        ms: Math.round(performance.now() - started),
      });
      return { date: day.date, source: connection.source, scope: mine ? 'mine' : 'everyone', entries, truncated: more };
    },

    async searchPatients(request, actor) {
      const connection = await deps.connection();
      const words = (text: string) =>
        text
          .split(/[\s,]+/)
          .filter(Boolean)
          .slice(0, 4);
      const common: [string, string][] = request.birthDate ? [['birthdate', request.birthDate]] : [];
      const queries: [string, string][][] = [];
      if (request.text !== undefined) {
        queries.push(words(request.text).map((w): [string, string] => ['name', w]));
        if (!/\s/.test(request.text)) queries.push([['identifier', request.text]]);
      }
      if (request.name !== undefined) queries.push(words(request.name).map((w): [string, string] => ['name', w]));
      if (request.mrn !== undefined) queries.push([['identifier', request.mrn]]);
      if (queries.length === 0) queries.push([]);
      const results = await Promise.all(
        queries.map(async (params) => {
          const query = new URLSearchParams([...params, ...common, ['_count', String(SEARCH_LIMIT)] as [string, string]]);
          const { pages, more } = await searchPages(connection.reader, `Patient?${query.toString()}`, 'patient search', 1);
          const page = pages[0]!;
          const patients = resourcesOf(page, 'Patient', FhirPatient, 'patient search').map(toEhrPatient);
          return { patients, more: more || (page.total !== undefined && page.total > patients.length) };
        }),
      );
      // An MRN match is the most exact: identifier results first, then names, each patient once.
      const ordered = [...results].reverse();
      const byId = new Map<string, EhrPatient>();
      for (const r of ordered) for (const p of r.patients) if (!byId.has(p.patientId)) byId.set(p.patientId, p);
      const patients = [...byId.values()].slice(0, SEARCH_LIMIT);
      const truncated = results.some((r) => r.more) || byId.size > SEARCH_LIMIT;
      audit.append({
        actor: actor.id,
        action: 'ehr.patients_searched',
        objectType: 'ehr_patient_search',
        objectId: `count:${patients.length}`,
      });
      logger.info('ehr.patient_search', { source: connection.source, count: patients.length, truncated });
      return { patients, truncated };
    },

    async startVisit(encounterId, actor) {
      const existing = encounters.find(encounterId);
      const visit = existing === undefined ? undefined : visitRepository.get(existing);
      // Already started: open it, even when the EHR is unreachable now.
      if (visit) return { visit, created: false };
      const { reader } = await deps.connection();
      const encounter = FhirEncounter.safeParse(
        await readOrNotFound(reader, `Encounter/${encodeURIComponent(encounterId)}`, 'encounter read', 'The encounter'),
      );
      if (!encounter.success || encounter.data.id !== encounterId) throw EhrError.badResponse('encounter read');
      const patientId = referencedId(encounter.data.subject?.reference, 'Patient');
      if (!patientId)
        throw new EhrError(
          'bad_response',
          'The encounter does not name a patient, so no visit can be started from it. You can still create a visit by hand.',
        );
      const patient = await readPatient(reader, patientId, "The encounter's patient");
      const who = referencedId(practitionerRefOf(encounter.data)?.reference, 'Practitioner');
      const names =
        who && !practitionerRefOf(encounter.data)?.display?.trim()
          ? await fetchPractitionerNames(reader, [who])
          : new Map<string, string>();
      const entry = toEhrEncounter(encounter.data, new Map([[patientId, patient]]), names)!;
      const { context, clinicalLists } = await patientContext(reader, patient, {
        reasonForVisit: entry.reason,
        clinician: entry.practitioner ?? clinicianOf(actor),
        scheduledAt: entry.start,
      });
      const opened = visits.createOrOpen({ patientId, encounterId, patient: context }, actor);
      return opened.created ? { ...opened, clinicalLists } : opened;
    },

    createVisitForPatient,

    async openPatientVisit(patientId, actor) {
      const today = visitRepository
        .list({ since: localDay(clock.now()).start, states: UNSIGNED, limit: TODAY_LIMIT })
        .find((listed) => !('damaged' in listed) && listed.patientId === patientId);
      // Already started today: open it, even when the EHR is unreachable now.
      const visit = today && visitRepository.get(today.id);
      if (visit) return { visit, created: false };
      return createVisitForPatient({ patientId }, actor);
    },
  };
}

async function readOrNotFound(reader: FhirReader, path: string, what: string, subject: string): Promise<unknown> {
  try {
    return await reader.get(path, what);
  } catch (error) {
    if (error instanceof EhrError && (error.status === 404 || error.status === 410)) {
      throw new EhrError('not_found', `${subject} is not on the EHR (it may have been removed). You can still create a visit by hand.`, {
        status: error.status,
      });
    }
    throw error;
  }
}
