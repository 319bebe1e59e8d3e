import type { Command } from 'commander';
import type { EhrPatient, PatientSearchResult, Schedule } from '../../../shared/domain/ehr.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';
import { encounterOrPatient, reasonNeedsPatient } from '../cli-errors.js';

const time = (iso: string | undefined) => {
  if (!iso) return '--:--';
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

const who = (p: EhrPatient) =>
  [p.displayName ?? '(unnamed)', p.mrn ? `MRN ${p.mrn}` : undefined, p.birthDate ? `born ${p.birthDate}` : undefined]
    .filter(Boolean)
    .join(', ');

export function formatSchedule(s: Schedule): string {
  const head = `${s.date}: ${s.entries.length} encounter${s.entries.length === 1 ? '' : 's'} (${s.source === 'sandbox' ? 'sandbox EHR' : 'EHR'}, ${s.scope === 'mine' ? 'yours' : 'everyone'})${s.truncated ? ', more on the EHR than shown' : ''}`;
  const rows = s.entries.map((e) =>
    [
      time(e.start),
      who(e.patient),
      e.reason ?? '',
      e.practitioner ?? '',
      e.visit ? `visit ${e.visit.id} ${e.visit.state}` : 'not started',
      `encounter ${e.encounterId}`,
    ].join('  '),
  );
  return [head, ...rows].join('\n');
}

export function formatPatients(r: PatientSearchResult): string {
  if (r.patients.length === 0) return 'No patients found.';
  return [
    ...r.patients.map((p) => `${who(p)}  patient ${p.patientId}`),
    ...(r.truncated ? ['More patients match: narrow the search.'] : []),
  ].join('\n');
}

/** `scribe ehr schedule`, `scribe ehr patients`, `scribe ehr start [--patient]`: the EHR's side of the visit list. */
export function registerEhrCommands(program: Command, cli: CliContext): Command {
  const ehr = program.command('ehr').description("today's schedule and patient search from the EHR (the sandbox EHR by default)");
  ehr
    .command('schedule')
    .description("today's encounters, with the state of each one's visit")
    .option('--everyone', "the whole clinic's day, not only the signed-in clinician's")
    .option('--json', 'print JSON')
    .action(async (o: { everyone?: boolean; json?: boolean }) => {
      const schedule = await cli.withScribe('open', (_s, call) => call('ehr:schedule', { everyone: o.everyone ?? false }));
      cli.io.out(o.json ? json(schedule) : formatSchedule(schedule));
    });
  ehr
    .command('patients')
    .description('search patients by name, MRN or birth date')
    .option('--name <name>', 'family and/or given name (word prefixes)')
    .option('--mrn <mrn>', 'medical record number')
    .option('--birth-date <yyyy-mm-dd>', 'date of birth')
    .option('--json', 'print JSON')
    .action(async (o: { name?: string; mrn?: string; birthDate?: string; json?: boolean }) => {
      const result = await cli.withScribe('open', (_s, call) =>
        call('ehr:patientSearch', { name: o.name, mrn: o.mrn, birthDate: o.birthDate }),
      );
      cli.io.out(o.json ? json(result) : formatPatients(result));
    });
  ehr
    .command('start')
    .description(
      "open the encounter's visit, creating it from the EHR the first time; or, with --patient, create a new visit for a patient",
    )
    .argument('[encounter-id]', "the encounter's id in the EHR")
    .option('--patient <patient-id>', "the patient's id in the EHR (see `scribe ehr patients`), for a visit not on the schedule")
    .option('--reason <text>', 'reason for the visit, with --patient')
    .option('--json', 'print JSON')
    .action(async (encounterId: string | undefined, o: { patient?: string; reason?: string; json?: boolean }) => {
      if ((encounterId === undefined) === (o.patient === undefined)) throw encounterOrPatient();
      if (o.reason !== undefined && o.patient === undefined) throw reasonNeedsPatient();
      const result = await cli.withScribe('open', (_s, call) =>
        o.patient !== undefined
          ? call('ehr:createVisitForPatient', { patientId: o.patient, reasonForVisit: o.reason })
          : call('ehr:startVisit', { encounterId: encounterId! }),
      );
      const { visit, created, clinicalLists } = result;
      const missing = clinicalLists ? (['medications', 'problems'] as const).filter((list) => clinicalLists[list] === 'unavailable') : [];
      const note =
        missing.length > 0
          ? ` The ${missing.map((l) => (l === 'medications' ? 'medication list' : 'problem list')).join(' and ')} could not be read from the EHR; the visit goes on without.`
          : '';
      cli.io.out(o.json ? json(result) : `${created ? 'Created' : 'Opened existing'} visit ${visit.id}.${note}`);
    });
  return ehr;
}
