import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createRecordShortcut, SAME_PRESS_MS } from '../../../../renderer/src/recording/record-shortcut.js';
import type { ShortcutSource, ShortcutStartResult } from '../../../../renderer/src/recording/record-shortcut.js';

type RecorderPhase = 'idle' | 'starting' | 'recording' | 'paused' | 'stopping';

function setup(options: { phase?: RecorderPhase; page?: ShortcutStartResult | 'none' } = {}) {
  const log: string[] = [];
  let phase: RecorderPhase = options.phase ?? 'idle';
  let clock = 10_000;
  const page = options.page ?? 'none';
  const toggle = createRecordShortcut({
    recorder: {
      getSnapshot: () => ({ phase }),
      stop: () => {
        log.push('stop');
        phase = 'stopping';
        return Promise.resolve(true);
      },
    },
    announce: (message) => log.push(`announce: ${message}`),
    start: () =>
      page === 'none'
        ? undefined
        : () => {
            log.push(page === 'starting' ? 'start' : 'consent step');
            if (page === 'starting') phase = 'starting';
            return page;
          },
    showVisits: () => log.push('show visits'),
    bringToFront: () => log.push('raise'),
    now: () => clock,
  });
  const press = async (source: ShortcutSource) => {
    clock += SAME_PRESS_MS;
    toggle(source);
    await Promise.resolve();
  };
  return { log, press, toggle, setPhase: (next: RecorderPhase) => (phase = next) };
}

for (const source of ['window', 'global'] as const) {
  test(`${source}: a running or paused recording stops, and the window is not raised`, async () => {
    for (const phase of ['recording', 'paused'] as const) {
      const s = setup({ phase });
      await s.press(source);
      assert.deepEqual(s.log, ['stop', 'announce: Recording stopped. The visit is being transcribed.']);
    }
  });

  test(`${source}: a visit page ready with consent starts recording where the window is`, async () => {
    const s = setup({ page: 'starting' });
    await s.press(source);
    assert.deepEqual(s.log, ['start']);
  });

  test(`${source}: starting or stopping already, a press does nothing`, async () => {
    for (const phase of ['starting', 'stopping'] as const) {
      const s = setup({ phase, page: 'starting' });
      await s.press(source);
      assert.deepEqual(s.log, []);
    }
  });
}

test('consent missing: nothing starts; the consent step is shown, and a global press brings the window forward', async () => {
  const global = setup({ page: 'needs_consent' });
  await global.press('global');
  assert.deepEqual(global.log, ['consent step', 'raise']);
  const local = setup({ page: 'needs_consent' });
  await local.press('window');
  assert.deepEqual(local.log, ['consent step']);
});

test('no visit page that can start: the window keys explain; a global press shows the visits list and raises the window', async () => {
  const local = setup();
  await local.press('window');
  assert.deepEqual(local.log, ['announce: Open a visit to start recording.']);
  const global = setup();
  await global.press('global');
  assert.deepEqual(global.log, ['announce: Open a visit to start recording.', 'show visits', 'raise']);
});

test('one press seen twice (window keys and the OS shortcut) toggles once', async () => {
  const s = setup({ page: 'starting' });
  await s.press('window');
  s.setPhase('recording');
  s.toggle('global');
  assert.deepEqual(s.log, ['start']);
  await s.press('global');
  assert.deepEqual(s.log, ['start', 'stop', 'announce: Recording stopped. The visit is being transcribed.']);
});
