import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createEventBus } from '../../../main/kernel/event-bus.js';
import { PRESS_REPEAT_MS, RAISE_AFTER_PRESS_MS, startGlobalShortcut } from '../../../main/app/global-shortcut.js';
import type { GlobalShortcutLike } from '../../../main/app/global-shortcut.js';
import type { Logger } from '../../../main/log/logger.js';

/** Electron's globalShortcut as the OS treats it: keys another program holds cannot be taken. */
function fakeGlobalShortcut(options: { takenByOthers?: string[]; lies?: boolean; rejects?: string[] } = {}) {
  const owned = new Map<string, () => void>();
  const calls: string[] = [];
  const shortcut: GlobalShortcutLike = {
    register(accelerator, callback) {
      calls.push(`register ${accelerator}`);
      if (options.rejects?.includes(accelerator)) throw new Error(`conversion failure from ${accelerator}`);
      if (options.takenByOthers?.includes(accelerator)) return options.lies === true;
      owned.set(accelerator, callback);
      return true;
    },
    unregister(accelerator) {
      calls.push(`unregister ${accelerator}`);
      owned.delete(accelerator);
    },
    isRegistered: (accelerator) => owned.has(accelerator),
  };
  const press = (accelerator: string) => {
    const callback = owned.get(accelerator);
    assert.ok(callback, `${accelerator} is not registered`);
    callback();
  };
  return { shortcut, owned, calls, press };
}

function recordingLogger() {
  const lines: { level: string; event: string; fields: unknown }[] = [];
  const log = (level: string) => (event: string, fields?: unknown) => void lines.push({ level, event, fields });
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') };
  return { logger, lines };
}

function setup(options: { accelerator?: string | null; fake?: ReturnType<typeof fakeGlobalShortcut> } = {}) {
  const fake = options.fake ?? fakeGlobalShortcut();
  const events = createEventBus();
  const pushed: { event: string; payload: unknown }[] = [];
  events.subscribeAll((event, payload) => void pushed.push({ event, payload }));
  let accelerator = options.accelerator === undefined ? 'CommandOrControl+Shift+Space' : options.accelerator;
  let clock = 1_000_000;
  let raises = 0;
  const { logger, lines } = recordingLogger();
  const controller = startGlobalShortcut({
    globalShortcut: fake.shortcut,
    events,
    accelerator: () => accelerator,
    raiseWindow: () => {
      raises += 1;
      return true;
    },
    logger,
    now: () => clock,
  });
  return {
    fake,
    events,
    controller,
    lines,
    shortcutEvents: () => pushed.filter((p) => p.event === 'app:shortcut'),
    raises: () => raises,
    advance: (ms: number) => (clock += ms),
    setAccelerator: (next: string | null) => (accelerator = next),
  };
}

test('registers the setting’s accelerator when started (after ready) and reports it', () => {
  const s = setup();
  assert.deepEqual(s.fake.calls, ['register CommandOrControl+Shift+Space']);
  assert.deepEqual(s.controller.status(), { state: 'registered', accelerator: 'CommandOrControl+Shift+Space' });
  assert.deepEqual(s.lines, [{ level: 'info', event: 'shortcut.registered', fields: { isDefault: true } }]);
});

test('a press pushes app:shortcut { action: toggleRecording } and nothing else: no visit, no patient', () => {
  const s = setup();
  s.fake.press('CommandOrControl+Shift+Space');
  assert.deepEqual(s.shortcutEvents(), [{ event: 'app:shortcut', payload: { action: 'toggleRecording' } }]);
  assert.equal(s.raises(), 0, 'a press alone never raises the window');
});

test('a held key (repeats closer than PRESS_REPEAT_MS) is one press; a later press counts again', () => {
  const s = setup();
  s.fake.press('CommandOrControl+Shift+Space');
  for (let i = 0; i < 10; i++) {
    s.advance(PRESS_REPEAT_MS / 5);
    s.fake.press('CommandOrControl+Shift+Space');
  }
  assert.equal(s.shortcutEvents().length, 1);
  s.advance(PRESS_REPEAT_MS);
  s.fake.press('CommandOrControl+Shift+Space');
  assert.equal(s.shortcutEvents().length, 2);
});

test('taken by another program: refused gracefully, logged without details, status says in_use', () => {
  const s = setup({ fake: fakeGlobalShortcut({ takenByOthers: ['CommandOrControl+Shift+Space'] }) });
  assert.deepEqual(s.controller.status(), { state: 'in_use', accelerator: 'CommandOrControl+Shift+Space' });
  assert.deepEqual(s.lines, [{ level: 'warn', event: 'shortcut.register_failed', fields: { reason: 'in_use', isDefault: true } }]);
  assert.equal(s.fake.owned.size, 0);
});

test('taken, though register() said yes (the OS "silently fails"): isRegistered decides, and nothing is left behind', () => {
  const s = setup({ fake: fakeGlobalShortcut({ takenByOthers: ['CommandOrControl+Shift+Space'], lies: true }) });
  assert.equal(s.controller.status().state, 'in_use');
  assert.deepEqual(s.fake.calls, ['register CommandOrControl+Shift+Space', 'unregister CommandOrControl+Shift+Space']);
});

test('an accelerator the platform cannot parse (register throws) is reported as invalid, not a crash', () => {
  const s = setup({ accelerator: 'Super+F24', fake: fakeGlobalShortcut({ rejects: ['Super+F24'] }) });
  assert.deepEqual(s.controller.status(), { state: 'invalid', accelerator: 'Super+F24' });
  assert.equal(s.lines[0]?.level, 'warn');
  assert.deepEqual(s.lines[0]?.fields, { reason: 'invalid', isDefault: false });
});

test('a null setting registers nothing', () => {
  const s = setup({ accelerator: null });
  assert.deepEqual(s.fake.calls, []);
  assert.deepEqual(s.controller.status(), { state: 'off', accelerator: null });
});

test('follows the setting: a new accelerator replaces the old one, null removes it; other settings are ignored', () => {
  const s = setup();
  s.setAccelerator('Alt+Shift+R');
  s.events.emit('settings:changed', { keys: ['audioRetentionDays'] });
  assert.deepEqual(s.fake.calls, ['register CommandOrControl+Shift+Space']);
  s.events.emit('settings:changed', { keys: ['globalShortcut'] });
  assert.deepEqual(s.fake.calls, [
    'register CommandOrControl+Shift+Space',
    'unregister CommandOrControl+Shift+Space',
    'register Alt+Shift+R',
  ]);
  assert.deepEqual([...s.fake.owned.keys()], ['Alt+Shift+R']);
  s.setAccelerator(null);
  s.events.emit('settings:changed', { keys: ['globalShortcut'] });
  assert.equal(s.fake.owned.size, 0);
  assert.deepEqual(s.controller.status(), { state: 'off', accelerator: null });
});

test('a setting change retries an accelerator that was in use; an unchanged registered one is left alone', () => {
  const fake = fakeGlobalShortcut({ takenByOthers: ['CommandOrControl+Shift+Space'] });
  const s = setup({ fake });
  s.setAccelerator('Control+Alt+Space');
  s.events.emit('settings:changed', { keys: ['globalShortcut'] });
  assert.equal(s.controller.status().state, 'registered');
  const before = fake.calls.length;
  s.events.emit('settings:changed', { keys: ['globalShortcut'] });
  assert.equal(fake.calls.length, before);
});

test('the window is raised only when asked just after a press, once per press', () => {
  const s = setup();
  assert.equal(s.controller.raiseAfterPress(), false, 'no press yet');
  s.fake.press('CommandOrControl+Shift+Space');
  assert.equal(s.controller.raiseAfterPress(), true);
  assert.equal(s.controller.raiseAfterPress(), false, 'one raise per press');
  s.advance(PRESS_REPEAT_MS + 1);
  s.fake.press('CommandOrControl+Shift+Space');
  s.advance(RAISE_AFTER_PRESS_MS + 1);
  assert.equal(s.controller.raiseAfterPress(), false, 'too long after the press');
  assert.equal(s.raises(), 1);
});

test('dispose (on quit) unregisters, stops following settings and ignores late presses', () => {
  const s = setup();
  const callback = () => s.fake.press('CommandOrControl+Shift+Space');
  s.controller.dispose();
  assert.equal(s.fake.owned.size, 0);
  assert.deepEqual(s.fake.calls.at(-1), 'unregister CommandOrControl+Shift+Space');
  assert.throws(callback, /not registered/);
  s.setAccelerator('Alt+Shift+R');
  s.events.emit('settings:changed', { keys: ['globalShortcut'] });
  assert.equal(s.fake.owned.size, 0);
  s.controller.dispose();
  assert.equal(s.fake.calls.filter((c) => c.startsWith('unregister')).length, 1);
});
