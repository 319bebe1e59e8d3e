import assert from 'node:assert/strict';
import { test } from 'vitest';
import { Accelerator, DEFAULT_GLOBAL_SHORTCUT } from '../../../shared/domain/global-shortcut.js';
import type { KeyPress } from '../../../shared/domain/review-shortcuts.js';
import { reviewShortcutLabel, reviewShortcutOf } from '../../../shared/domain/review-shortcuts.js';

const press = (code: string, held: Partial<Omit<KeyPress, 'code'>> = {}): KeyPress => ({
  code,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...held,
});

test('Alt with N, A or S asks for next unsupported sentence, accept code and sign, by physical key', () => {
  assert.equal(reviewShortcutOf(press('KeyN', { altKey: true })), 'nextUnsupported');
  assert.equal(reviewShortcutOf(press('KeyA', { altKey: true })), 'acceptCode');
  assert.equal(reviewShortcutOf(press('KeyS', { altKey: true })), 'openSign');
});

test('typing, other modifiers, and the start/stop recording keys are not review shortcuts', () => {
  for (const code of ['KeyN', 'KeyA', 'KeyS']) {
    assert.equal(reviewShortcutOf(press(code)), undefined, `${code} alone is typing`);
    assert.equal(reviewShortcutOf(press(code, { shiftKey: true })), undefined);
    // AltGr on many European layouts arrives as Ctrl+Alt: it types characters.
    assert.equal(reviewShortcutOf(press(code, { altKey: true, ctrlKey: true })), undefined);
    assert.equal(reviewShortcutOf(press(code, { altKey: true, metaKey: true })), undefined);
    assert.equal(reviewShortcutOf(press(code, { altKey: true, shiftKey: true })), undefined);
  }
  assert.equal(reviewShortcutOf(press('Space', { ctrlKey: true, shiftKey: true })), undefined);
  assert.equal(reviewShortcutOf(press('Space', { metaKey: true, shiftKey: true })), undefined);
  // The desktop menus' letters (File, Edit, View, Window) stay the menus'.
  for (const code of ['KeyF', 'KeyE', 'KeyV', 'KeyW']) assert.equal(reviewShortcutOf(press(code, { altKey: true })), undefined);
});

test('labels read Alt+N on Windows and Linux, Option N on a Mac', () => {
  assert.equal(reviewShortcutLabel('nextUnsupported', false), 'Alt+N');
  assert.equal(reviewShortcutLabel('openSign', true), 'Option S');
});

test('the global shortcut may not take a review key; the default is not one', () => {
  assert.equal(Accelerator.safeParse(DEFAULT_GLOBAL_SHORTCUT).success, true);
  for (const taken of ['Alt+N', 'Alt+A', 'Option+S', 'alt+s']) {
    const result = Accelerator.safeParse(taken);
    assert.equal(result.success, false, taken);
    assert.match(result.error?.issues[0]?.message ?? '', /review page/);
  }
  for (const free of ['Alt+Shift+N', 'CommandOrControl+Alt+S', 'Alt+R']) assert.equal(Accelerator.safeParse(free).success, true, free);
});
