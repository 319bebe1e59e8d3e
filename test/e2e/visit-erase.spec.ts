/**
 * End to end: a patient's erasure request in the browser (`scribe web`). The erase control shows
 * only where the policy's visitErasureRoles name the user's role; it asks for a confirmation tick
 * before it acts; afterwards the visit is gone from the list and from the store, and the audit log
 * records who erased it.
 * Run: npx vitest run test/e2e/visit-erase.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { WebServer, Workstation } from '../helpers/e2e-web.js';
import { createWorkstation, e2eSkipReason, openAppPage } from '../helpers/e2e-web.js';
import { skipWhen } from '../helpers/skip.js';

const PATIENT = 'Ottoline Brackenfeather';

describe('erasing a visit from the visit page', skipWhen(e2eSkipReason ?? false), () => {
  let ws: Workstation;
  let browser: Browser | undefined;
  let page: Page;
  let visitId = '';
  const webs: WebServer[] = [];
  const seen = { console: [] as string[], errors: [] as string[] };
  let policyFile = '';

  beforeAll(async () => {
    ws = await createWorkstation({ user: 'dr.erase', role: 'clinician' });
    policyFile = join(ws.dataDir, 'policy.json');
    await writeFile(policyFile, '{}');
    visitId = (JSON.parse(await ws.scribe(['visit', 'create', '--patient', 'pat-erase-1', '--name', PATIENT, '--json'])) as { id: string })
      .id;
    ({ browser, page } = await openAppPage(seen));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    for (const web of webs) await web.stop().catch(() => undefined);
    await ws?.dispose();
  });

  const open = async (policy: unknown) => {
    await writeFile(policyFile, JSON.stringify(policy));
    const web = await ws.web({ SCRIBE_POLICY_FILE: policyFile });
    webs.push(web);
    await page.goto(web.address.url);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.evaluate(`window.location.hash = '#/visits/${visitId}'`);
    await page.getByRole('heading', { level: 1, name: `Visit: ${PATIENT}` }).waitFor();
    await page.getByRole('button', { name: 'Start recording' }).waitFor();
    return web;
  };

  it('shows no erase control while the policy does not allow it', async () => {
    const web = await open({});
    assert.equal(await page.getByRole('button', { name: 'Erase this visit…' }).count(), 0);
    await web.stop();
  });

  it('erases after a deliberate confirmation, and the visit is gone', async () => {
    await open({ visitErasureRoles: ['clinician'] });
    await page.getByRole('button', { name: 'Erase this visit…' }).click();
    const erase = page.getByRole('button', { name: 'Erase this visit permanently' });
    assert.equal(await erase.getAttribute('aria-disabled'), 'true');
    await erase.click({ force: true });
    await page.getByRole('heading', { level: 1, name: `Visit: ${PATIENT}` }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'The patient asked for this visit to be erased' }).isChecked(), false);
    assert.ok(
      (JSON.parse(await ws.scribe(['visit', 'list', '--json'])) as { id: string }[]).some((v) => v.id === visitId),
      'a click before the tick erases nothing',
    );
    await page.getByRole('checkbox', { name: 'The patient asked for this visit to be erased' }).check();
    await erase.click();
    await page.getByRole('heading', { level: 1, name: /visits/i }).waitFor();
    assert.equal(await page.getByText(PATIENT).count(), 0);
    const listed = JSON.parse(await ws.scribe(['visit', 'list', '--json'])) as { id: string }[];
    assert.ok(!listed.some((v) => v.id === visitId));
    const exported = join(ws.dataDir, 'audit.jsonl');
    await ws.scribe(['audit', 'export', exported]);
    const { readFile } = await import('node:fs/promises');
    const entries = (await readFile(exported, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; actor: string; objectId: string });
    assert.ok(entries.some((e) => e.action === 'visit.erased' && e.actor === 'dr.erase' && e.objectId === visitId));
    assert.deepEqual(seen.errors, []);
  });
});
