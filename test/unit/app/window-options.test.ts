import assert from 'node:assert/strict';
import { test } from 'vitest';
import { buildWindowOptions, WINDOW_TITLE } from '../../../main/app/window-options.js';

const preloadPath = '/opt/ambient-scribe/dist/preload.cjs';

test('every security-relevant web preference has its secure value', () => {
  const prefs = buildWindowOptions({ preloadPath }).webPreferences;
  assert.ok(prefs);
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.experimentalFeatures, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.safeDialogs, true);
  assert.equal(prefs.navigateOnDragDrop, false);
  assert.equal(prefs.preload, preloadPath);
  assert.equal(prefs.enableBlinkFeatures, undefined);
  assert.equal(prefs.disableBlinkFeatures, 'Auxclick');
});

test('spellcheck is off: some platforms send words to a cloud service', () => {
  assert.equal(buildWindowOptions({ preloadPath }).webPreferences?.spellcheck, false);
});

test('DevTools are off unless asked for (development builds)', () => {
  assert.equal(buildWindowOptions({ preloadPath }).webPreferences?.devTools, false);
  assert.equal(buildWindowOptions({ preloadPath, devTools: true }).webPreferences?.devTools, true);
});

test('the window is sized for the review layout and shown only when ready', () => {
  const options = buildWindowOptions({ preloadPath });
  assert.equal(options.width, 1280);
  assert.equal(options.height, 800);
  assert.equal(options.minWidth, 1024);
  assert.equal(options.minHeight, 700);
  assert.equal(options.show, false);
});

test('the title is the product name unless a fixed one is given; background colour is optional', () => {
  assert.equal(buildWindowOptions({ preloadPath }).title, WINDOW_TITLE);
  assert.equal(WINDOW_TITLE, 'Ambient Scribe');
  assert.equal(buildWindowOptions({ preloadPath, title: 'Ambient Scribe (test)' }).title, 'Ambient Scribe (test)');
  assert.equal('backgroundColor' in buildWindowOptions({ preloadPath }), false);
  assert.equal(buildWindowOptions({ preloadPath, backgroundColor: '#101418' }).backgroundColor, '#101418');
});

test('each call returns a fresh object, so one caller cannot weaken the next window', () => {
  const first = buildWindowOptions({ preloadPath });
  assert.ok(first.webPreferences);
  first.webPreferences.sandbox = false;
  assert.equal(buildWindowOptions({ preloadPath }).webPreferences?.sandbox, true);
});
