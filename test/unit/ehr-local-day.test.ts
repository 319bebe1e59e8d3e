/**
 * "Today" for the EHR schedule is the workstation's local calendar day, sent as two instants with
 * their own offsets. Checked around midnight and across daylight-saving changes in several zones,
 * with an injected clock, down to the query the EHR receives.
 */
import assert from 'node:assert/strict';
import { afterAll, describe, test } from 'vitest';
import { createEhrService } from '../../main/ehr/ehr-service.js';
import type { FhirReader } from '../../main/ehr/fhir-reader.js';
import { localDay, withLocalOffset } from '../../main/ehr/local-day.js';
import { nullLogger } from '../../main/log/logger.js';

const originalTz = process.env['TZ'];
// Node re-reads TZ when it is assigned, so each case runs in its own zone.
const inZone = <T>(zone: string, fn: () => T): T => {
  process.env['TZ'] = zone;
  try {
    return fn();
  } finally {
    if (originalTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = originalTz;
  }
};

describe('the local day the schedule asks for', () => {
  afterAll(() => {
    if (originalTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = originalTz;
  });

  test('one second before and at local midnight in New York, the night daylight saving starts', () => {
    inZone('America/New_York', () => {
      assert.deepEqual(localDay(new Date('2026-03-08T04:59:59Z')), {
        date: '2026-03-07',
        start: '2026-03-07T00:00:00-05:00',
        end: '2026-03-08T00:00:00-05:00',
      });
      assert.deepEqual(localDay(new Date('2026-03-08T05:00:00Z')), {
        date: '2026-03-08',
        start: '2026-03-08T00:00:00-05:00',
        // The day is 23 hours long: it ends at the summer offset.
        end: '2026-03-09T00:00:00-04:00',
      });
    });
  });

  test('late evening in Honolulu is still today there, though UTC has moved to tomorrow', () => {
    inZone('Pacific/Honolulu', () => {
      assert.deepEqual(localDay(new Date('2026-11-22T09:30:00Z')), {
        date: '2026-11-21',
        start: '2026-11-21T00:00:00-10:00',
        end: '2026-11-22T00:00:00-10:00',
      });
    });
  });

  test('half- and three-quarter-hour offsets are written exactly', () => {
    inZone('Asia/Kolkata', () => {
      assert.equal(localDay(new Date('2026-11-21T18:29:59Z')).date, '2026-11-21');
      assert.deepEqual(localDay(new Date('2026-11-21T18:30:00Z')), {
        date: '2026-11-22',
        start: '2026-11-22T00:00:00+05:30',
        end: '2026-11-23T00:00:00+05:30',
      });
    });
    inZone('Pacific/Chatham', () => {
      assert.equal(withLocalOffset(new Date('2026-01-15T00:00:00Z')), '2026-01-15T13:45:00+13:45');
    });
  });

  test('UTC itself', () => {
    inZone('UTC', () => {
      assert.deepEqual(localDay(new Date('2026-12-31T23:59:59.999Z')), {
        date: '2026-12-31',
        start: '2026-12-31T00:00:00+00:00',
        end: '2027-01-01T00:00:00+00:00',
      });
    });
  });

  test("the EHR is asked for the clock's local day, just before and just after midnight", async () => {
    const paths: string[] = [];
    const reader: FhirReader = {
      get: (path) => {
        paths.push(path);
        return Promise.resolve({ resourceType: 'Bundle', type: 'searchset', entry: [] });
      },
      getUrl: () => Promise.reject(new Error('no next page')),
    };
    const run = async (instant: string) => {
      const service = createEhrService({
        connection: () => Promise.resolve({ reader, source: 'sandbox' }),
        visits: {} as never,
        visitRepository: { get: () => undefined, list: () => [] },
        encounters: { find: () => undefined, set: () => undefined },
        audit: { append: () => ({}) as never },
        clock: { now: () => new Date(instant) },
        logger: nullLogger,
      });
      return service.schedule({ everyone: false }, { id: 'sc', role: 'scribe' });
    };
    process.env['TZ'] = 'America/Los_Angeles';
    try {
      const before = await run('2026-11-22T07:59:59Z');
      const afterMidnight = await run('2026-11-22T08:00:00Z');
      assert.equal(before.date, '2026-11-21');
      assert.equal(afterMidnight.date, '2026-11-22');
    } finally {
      if (originalTz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = originalTz;
    }
    const dates = paths.map((p) => new URLSearchParams(p.split('?')[1]).getAll('date'));
    assert.deepEqual(dates, [
      ['ge2026-11-21T00:00:00-08:00', 'lt2026-11-22T00:00:00-08:00'],
      ['ge2026-11-22T00:00:00-08:00', 'lt2026-11-23T00:00:00-08:00'],
    ]);
    assert.ok(
      paths.every((p) => p.startsWith('Encounter?') && !p.includes('participant=')),
      'nobody signed in: no practitioner filter',
    );
  });
});
