/**
 * End to end: the visits page in Debian's Chromium through `scribe web`, with the sandbox EHR
 * running (`scribe sandbox` on free ports, the app pointed at it). Today's schedule shows the
 * seeded encounters; Start visit opens a visit filled from the EHR, and only ever one per
 * encounter; patient search (keyboard only) creates another visit, with the EHR's medication and
 * problem lists; with the EHR gone, the page says "EHR unreachable" and a visit can still be
 * entered by hand. Screenshots in test-results/.
 * Run: npx vitest run test/e2e/ehr-schedule.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SANDBOX_PATIENTS } from '../../main/sandbox/seed.js';
import { SCOPE_WITH_MEDICATIONS } from '../../main/fhir/fhir-target-config.js';
import type { Workstation, WebServer } from '../helpers/e2e-web.js';
import { createWorkstation, e2eSkipReason, openAppPage, screenshot, seriousAccessibilityIssues } from '../helpers/e2e-web.js';
import { skipWhen } from '../helpers/skip.js';

const names = SANDBOX_PATIENTS.map((p) => `${p.given} ${p.family}`);

describe("today's schedule from the sandbox EHR, in the browser", skipWhen(e2eSkipReason ?? false), () => {
  let ws: Workstation;
  let web: WebServer;
  let stopSandbox: () => Promise<void>;
  let browser: Browser | undefined;
  let page: Page;
  const seen = { console: [] as string[], errors: [] as string[] };
  const ok = (result: { ok: boolean; error?: { message: string } }) => assert.ok(result.ok, result.error?.message);
  const schedule = () => page.getByRole('region', { name: 'Today’s schedule' });
  const localVisits = () => page.getByRole('region', { name: 'Today’s visits' });
  const row = (name: string) =>
    schedule()
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });

  beforeAll(async () => {
    ws = await createWorkstation({ user: 'sc.schedule', role: 'scribe' });
    const sandbox = await ws.background(['sandbox', '--port', '0', '--mllp-port', '0', '--json']);
    stopSandbox = () => sandbox.stop();
    const ready = sandbox.ready as { fhirBaseUrl: string; clientKeyFile: string; backendClientIds: string[] };
    // IT points the workstation at the EHR (scribes cannot change settings); the scribe then works.
    const it = await ws.web({ SCRIBE_USER: 'it.admin', SCRIBE_ROLE: 'admin' });
    ok(
      await it.call('settings:update', {
        fhirBaseUrl: ready.fhirBaseUrl,
        fhirClientId: ready.backendClientIds[0],
        fhirPrivateKeyFile: ready.clientKeyFile,
        fhirScope: SCOPE_WITH_MEDICATIONS,
      }),
    );
    await it.stop();
    web = await ws.web();
    ({ browser, page } = await openAppPage(seen, { height: 900 }));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await ws?.dispose();
  });

  it("shows today's encounters with time, patient, reason and state, and no PHI in the title", async () => {
    await page.goto(web.address.url);
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
    await row(names[0]!).waitFor();
    const rows = schedule().getByRole('row');
    assert.equal(await rows.count(), 1 + SANDBOX_PATIENTS.length, 'a header row and one row per seeded encounter');
    assert.deepEqual(
      await schedule()
        .getByRole('rowheader')
        .allInnerTexts()
        .then((t) => t.map((x) => x.split('\n')[0])),
      names,
    );
    const first = row(names[0]!);
    await first.getByText('Blood pressure follow-up').waitFor();
    await first.getByText('MRN SBX-MRN-0001 · born 1958-04-12').waitFor();
    await first.getByText('Dr. Robin Clinician-Sandbox').waitFor();
    await first.getByText('Not started').waitFor();
    assert.match((await first.getByRole('cell').first().innerText()).trim(), /^0?9[:.]00/);
    assert.equal(await schedule().getByRole('button', { name: 'Start visit' }).count(), SANDBOX_PATIENTS.length);
    const title = await page.title();
    for (const p of SANDBOX_PATIENTS) assert.ok(!title.includes(p.family), 'no patient name in document.title');
    assert.deepEqual(await seriousAccessibilityIssues(page), [], 'accessibility issues on the schedule');
    await screenshot(page, 'ehr-schedule');
  });

  it('starts a visit from the schedule, and the same encounter never makes a second visit', async () => {
    await row(names[1]!).getByRole('button', { name: 'Start visit' }).click();
    await page.getByRole('heading', { level: 1, name: `Visit: ${names[1]}` }).waitFor();
    const visitId = /#\/visits\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    assert.ok(visitId, 'the visit page of the new visit');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Visits', exact: true }).click();
    const started = row(names[1]!);
    await started.getByRole('link', { name: 'Open' }).waitFor();
    assert.equal(await started.getByRole('button', { name: 'Start visit' }).count(), 0);
    assert.equal(await started.getByRole('link', { name: 'Open' }).getAttribute('href'), `#/visits/${visitId}`);
    await localVisits().getByRole('link', { name: names[1]! }).waitFor();

    const again = (await web.call('ehr:startVisit', { encounterId: 'sbx-encounter-2' })) as {
      ok: boolean;
      value: { visit: { id: string; patient: { reasonForVisit?: string; mrn?: string } }; created: boolean };
    };
    ok(again);
    assert.deepEqual([again.value.visit.id, again.value.created], [visitId, false]);
    assert.equal(again.value.visit.patient.mrn, 'SBX-MRN-0002');
    assert.equal(again.value.visit.patient.reasonForVisit, 'Cough for two weeks');
    const list = (await web.call('visit:list', {})) as { value: { visits: { encounterId?: string }[] } };
    assert.equal(list.value.visits.filter((v) => v.encounterId === 'sbx-encounter-2').length, 1);
  });

  it('finds a patient by name and by MRN with the keyboard and creates a visit for them', async () => {
    const search = page.getByRole('combobox', { name: 'Find a patient on the EHR' });
    await search.focus();
    await page.keyboard.type('SBX-MRN-0004');
    const listbox = page.getByRole('listbox', { name: 'Patients found' });
    await listbox.getByRole('option', { name: new RegExp(`^${names[3]}`) }).waitFor();
    await page.getByText('1 patient found. Use the arrow keys and Enter to pick one.').waitFor();

    await search.fill('');
    await page.keyboard.type('sandbox');
    await page.getByText(`${SANDBOX_PATIENTS.length} patients found. Use the arrow keys and Enter to pick one.`).waitFor();
    await screenshot(page, 'ehr-patient-search');
    // Down twice from the first result: the third patient; up from the first wraps to the last.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(
      await listbox
        .getByRole('option', { selected: true })
        .innerText()
        .then((t) => t.split('\n')[0]),
      names[2],
    );
    assert.equal(
      await search.getAttribute('aria-activedescendant'),
      await listbox.getByRole('option', { selected: true }).getAttribute('id'),
    );
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(
      await listbox
        .getByRole('option', { selected: true })
        .innerText()
        .then((t) => t.split('\n')[0]),
      names[4],
    );
    await page.keyboard.press('Enter');
    const picked = page.getByRole('group', { name: new RegExp(`^${names[4]}`) });
    await picked.getByLabel('Reason for visit (optional)').fill('Follow-up of rash');
    await picked.getByRole('button', { name: 'Create visit' }).click();
    await page.getByText('Visit created. It is now in the list of today’s visits.').waitFor();
    await localVisits().getByRole('link', { name: names[4]! }).waitFor();

    const list = (await web.call('visit:list', {})) as { value: { visits: { patientId: string; encounterId?: string }[] } };
    const made = list.value.visits.filter((v) => v.patientId === SANDBOX_PATIENTS[4]!.id);
    assert.equal(made.length, 1);
    assert.equal(made[0]!.encounterId, undefined, 'a visit made from a search is not tied to an encounter');

    // The EHR's medication and problem lists came with it, for the transcription prompt.
    await page.getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('heading', { level: 1, name: `Visit: ${names[4]}` }).waitFor();
    await page.getByText('Medications (EHR)', { exact: true }).waitFor();
    await page.getByText(/metformin hydrochloride 500 MG Oral Tablet/).waitFor();
    await page.getByText('Problems (EHR)', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Visits', exact: true }).click();
    await schedule().waitFor();
  });

  it('says "EHR unreachable" when the EHR is gone, and a visit can still be entered by hand', async () => {
    // The schedule has loaded again since the page came back, so there is one to call out of date.
    await row(names[0]!).waitFor();
    await stopSandbox();
    await schedule().getByRole('button', { name: 'Refresh schedule' }).click();
    await schedule()
      .getByRole('alert')
      .getByText(/^EHR unreachable/)
      .waitFor();
    await schedule().getByText('The schedule below may be out of date.').waitFor();

    const search = page.getByRole('combobox', { name: 'Find a patient on the EHR' });
    await search.fill('Ada');
    await page
      .getByRole('alert')
      .filter({ hasText: /^EHR unreachable/ })
      .nth(1)
      .waitFor();

    await page.getByLabel('Patient ID').fill('manual-77');
    await page.getByLabel('Patient name').fill('Typed Byhand-Sandbox');
    await page.getByRole('button', { name: 'Create visit' }).click();
    await localVisits().getByRole('link', { name: 'Typed Byhand-Sandbox' }).waitFor();
    await screenshot(page, 'ehr-unreachable');

    assert.deepEqual(seen.errors, [], 'no page errors');
    const output = web.output();
    for (const p of SANDBOX_PATIENTS) {
      assert.ok(!output.includes(p.family), 'no patient name in the web process output');
      assert.ok(!output.includes(p.mrn), 'no MRN in the web process output');
    }
  });
});
