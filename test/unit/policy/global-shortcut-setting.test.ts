import assert from 'node:assert/strict';
import { test } from 'vitest';
import { Accelerator, acceleratorLabel, DEFAULT_GLOBAL_SHORTCUT } from '../../../shared/domain/global-shortcut.js';
import { PolicyFile, settingDefaults } from '../../../shared/domain/policy.js';

test('the default is CommandOrControl+Shift+Space, and policy may set another or null (off)', () => {
  assert.equal(settingDefaults.globalShortcut, DEFAULT_GLOBAL_SHORTCUT);
  assert.equal(PolicyFile.safeParse({ globalShortcut: 'Alt+Shift+R' }).success, true);
  assert.equal(PolicyFile.safeParse({ globalShortcut: null }).success, true);
  assert.equal(PolicyFile.safeParse({ globalShortcut: 'Space' }).success, false);
});

test('accelerators: modifiers and one key; Ctrl/Cmd, Alt or Super required so typing elsewhere is never taken', () => {
  for (const ok of ['CommandOrControl+Shift+Space', 'CmdOrCtrl+Alt+R', 'Control+F9', 'Super+Shift+1', 'Alt+PageUp', 'ctrl+shift+space']) {
    assert.equal(Accelerator.safeParse(ok).success, true, ok);
  }
  for (const bad of [
    'Space',
    'Shift+Space',
    'Shift+A',
    'Ctrl+',
    '+Space',
    'Ctrl++',
    'Ctrl+Ctrl+A',
    'Hyper+A',
    'Ctrl+Shift+SpaceBar',
    'Ctrl+AB',
    '',
  ]) {
    assert.equal(Accelerator.safeParse(bad).success, false, bad);
  }
});

test('labels: Ctrl+Shift+Space on Windows and Linux, ⌘ Shift Space on macOS', () => {
  assert.equal(acceleratorLabel(DEFAULT_GLOBAL_SHORTCUT, false), 'Ctrl+Shift+Space');
  assert.equal(acceleratorLabel(DEFAULT_GLOBAL_SHORTCUT, true), '⌘ Shift Space');
  assert.equal(acceleratorLabel('Alt+Shift+R', true), 'Option Shift R');
});
