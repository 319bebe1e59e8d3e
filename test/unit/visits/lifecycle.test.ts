/**
 * Issue 12: the visit lifecycle table, walked against a real store. Every legal move succeeds and
 * is told once committed; every other pair is refused with `visit.illegal_transition` naming both
 * states, and the row (state and updated_at) is left as it was.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { ScribeError } from '../../../main/kernel/errors.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Store } from '../../../main/store/store.js';
import { openStore } from '../../../main/store/store.js';
import type { VisitRecords, VisitStateColumn } from '../../../main/store/visit-repository.js';
import { createSqliteVisitRepository, createSqliteVisitStateColumn } from '../../../main/store/visit-repository.js';
import type { VisitLifecycle } from '../../../main/visits/lifecycle.js';
import { createVisitLifecycle, isLegalMove, VISIT_MOVES, VISIT_STATES } from '../../../main/visits/lifecycle.js';
import type { VisitState } from '../../../shared/domain/visit.js';
import type { VisitId } from '../../../shared/ids.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

describe('visit lifecycle', () => {
  const tmp = tempDir('scribe-lifecycle-');
  let store: Store;
  let visits: VisitRecords;
  let lifecycle: VisitLifecycle;
  /** The test's own handle on the column, to put a visit in a given state before a move. */
  let column: VisitStateColumn;
  const told: { visitId: VisitId; state: VisitState }[] = [];

  beforeAll(() => {
    store = openStore({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('lifecycle test passphrase', FAST_SCRYPT),
      mode: 'create',
    });
    visits = createSqliteVisitRepository(store);
    lifecycle = createVisitLifecycle({ store, onStateChanged: (visitId, state) => told.push({ visitId, state }) });
    column = createSqliteVisitStateColumn(store);
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  function visitIn(state: VisitState): VisitId {
    const id = visits.insert({ patientId: SENTINEL.patientId, patient: {}, createdBy: 'dr-lifecycle' }).id;
    if (state !== 'not_started') assert.ok(column.compareAndSet(id, ['not_started'], state));
    return id;
  }

  test('the table names only known states, each move once, and every state is reachable from a new visit', () => {
    const pairs = VISIT_MOVES.map((move) => `${move.from}>${move.to}`);
    assert.equal(new Set(pairs).size, pairs.length, 'no move is listed twice');
    for (const move of VISIT_MOVES) {
      assert.ok(VISIT_STATES.includes(move.from) && VISIT_STATES.includes(move.to), `${move.from} > ${move.to}`);
      assert.notEqual(move.from, move.to);
      assert.ok(move.trigger.length > 0);
    }
    const reached = new Set<VisitState>(['not_started']);
    for (let grew = true; grew;) {
      grew = false;
      for (const move of VISIT_MOVES) if (reached.has(move.from) && !reached.has(move.to)) grew = Boolean(reached.add(move.to));
    }
    assert.deepEqual([...reached].sort(), [...VISIT_STATES].sort());
  });

  test('every legal move succeeds, and is told after its transaction commits', () => {
    for (const { from, to } of VISIT_MOVES) {
      const id = visitIn(from);
      told.length = 0;
      store.transaction(() => {
        assert.equal(lifecycle.transition(id, from, to), true, `${from} > ${to}`);
        assert.deepEqual(told, [], 'not told before the commit');
      });
      assert.equal(visits.get(id)?.state, to, `${from} > ${to}`);
      assert.deepEqual(told, [{ visitId: id, state: to }]);
    }
  });

  test('every other pair is refused with the typed error, and the row is unchanged', () => {
    let refused = 0;
    for (const from of VISIT_STATES) {
      for (const to of VISIT_STATES) {
        if (from === to || isLegalMove(from, to)) continue;
        const id = visitIn(from);
        const before = visits.get(id);
        told.length = 0;
        assert.throws(
          () => lifecycle.transition(id, from, to),
          (error: unknown) => {
            assert.ok(error instanceof ScribeError);
            assert.equal(error.reason, 'visit.illegal_transition');
            assert.equal(error.code, 'conflict');
            assert.deepEqual(error.details, { from, to });
            return true;
          },
        );
        assert.deepEqual(visits.get(id), before, `${from} > ${to} left the row as it was`);
        assert.deepEqual(told, []);
        refused += 1;
      }
    }
    assert.equal(refused, VISIT_STATES.length * (VISIT_STATES.length - 1) - VISIT_MOVES.length);
  });

  test('one illegal pair among several from-states refuses the whole call, whatever state the visit is in', () => {
    const id = visitIn('draft_ready');
    assert.throws(
      () => lifecycle.transition(id, ['draft_ready', 'signed'], 'in_review'),
      (error: unknown) => {
        assert.ok(error instanceof ScribeError);
        assert.deepEqual(error.details, { from: 'signed', to: 'in_review' });
        return true;
      },
    );
    assert.equal(visits.get(id)?.state, 'draft_ready');
  });

  test('a legal move from a state the visit is not in changes nothing and says so', () => {
    const id = visitIn('recording');
    told.length = 0;
    assert.equal(lifecycle.transition(id, 'not_started', 'transcribing'), false);
    assert.equal(visits.get(id)?.state, 'recording');
    assert.equal(lifecycle.transition('no-such-visit' as VisitId, 'not_started', 'recording'), false);
    assert.deepEqual(told, []);
  });

  test('listing the target among the from-states accepts a visit already there, without a write or an event', () => {
    const id = visitIn('delivered');
    const before = visits.get(id);
    told.length = 0;
    assert.equal(lifecycle.transition(id, ['signed', 'delivered', 'failed'], 'delivered'), true);
    assert.deepEqual(visits.get(id), before);
    assert.deepEqual(told, []);
    assert.equal(lifecycle.transition(id, ['signed', 'delivered', 'failed'], 'signed'), true, 'delivered > signed: an addendum queued');
    assert.equal(visits.get(id)?.state, 'signed');
  });

  test('a failed transcription is a state of its own that a visit can always leave: retry, import, a note written by hand, signing', () => {
    assert.ok(isLegalMove('transcribing', 'transcription_failed'));
    for (const to of ['transcribing', 'draft_ready', 'in_review', 'signed'] as const)
      assert.ok(isLegalMove('transcription_failed', to), to);
    for (const from of ['not_started', 'recording', 'draft_ready', 'signed'] as const)
      assert.ok(!isLegalMove(from, 'transcription_failed'), `${from} > transcription_failed`);
  });

  test('a move rolled back with its transaction leaves the visit where it was and is never told', () => {
    const id = visitIn('transcribing');
    told.length = 0;
    assert.throws(() =>
      store.transaction(() => {
        lifecycle.transition(id, 'transcribing', 'draft_ready');
        throw new Error('rolled back');
      }),
    );
    assert.equal(visits.get(id)?.state, 'transcribing');
    assert.deepEqual(told, []);
  });
});
