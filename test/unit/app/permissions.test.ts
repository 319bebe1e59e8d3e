import assert from 'node:assert/strict';
import { test } from 'vitest';
import { isPermissionAllowed, isPermissionCheckAllowed } from '../../../main/app/permissions.js';

const page = 'app://scribe/index.html';
const mainFrameAudio = { mediaTypes: ['audio'], isMainFrame: true };

test('the microphone is granted to our main frame', () => {
  assert.equal(isPermissionAllowed('media', page, mainFrameAudio), true);
  assert.equal(isPermissionAllowed('media', 'app://scribe/visits/1', mainFrameAudio), true);
});

test('the camera is refused, alone or together with the microphone', () => {
  assert.equal(isPermissionAllowed('media', page, { mediaTypes: ['video'], isMainFrame: true }), false);
  assert.equal(isPermissionAllowed('media', page, { mediaTypes: ['audio', 'video'], isMainFrame: true }), false);
  assert.equal(isPermissionAllowed('media', page, { mediaTypes: ['video', 'audio'], isMainFrame: true }), false);
});

test('a media request that names no type is refused', () => {
  assert.equal(isPermissionAllowed('media', page, { mediaTypes: [], isMainFrame: true }), false);
  assert.equal(isPermissionAllowed('media', page, { isMainFrame: true }), false);
});

test('another origin or a sub frame does not get the microphone', () => {
  for (const url of ['https://evil.example/', 'app://scribe.evil/index.html', 'https://scribe/', 'file:///index.html', 'about:blank', '']) {
    assert.equal(isPermissionAllowed('media', url, mainFrameAudio), false, url);
  }
  assert.equal(isPermissionAllowed('media', page, { mediaTypes: ['audio'], isMainFrame: false }), false);
  assert.equal(isPermissionAllowed('media', page, { mediaTypes: ['audio'] }), false);
});

test('every other permission is refused, even for our main frame', () => {
  for (const permission of [
    'notifications',
    'geolocation',
    'clipboard-read',
    'openExternal',
    'display-capture',
    'fullscreen',
    'pointerLock',
    'midi',
    'midiSysex',
    'hid',
    'serial',
    'usb',
    'mediaKeySystem',
    'fileSystem',
    'window-management',
    'storage-access',
    'idle-detection',
    'unknown',
    'MEDIA',
  ]) {
    assert.equal(isPermissionAllowed(permission, page, mainFrameAudio), false, permission);
  }
});

test('writing to the clipboard (copy-out) is granted to our main frame only, reading never', () => {
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', page, { isMainFrame: true }), true);
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', page, { isMainFrame: false }), false);
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', { isMainFrame: true }), false);
  assert.equal(isPermissionAllowed('clipboard-read', page, { isMainFrame: true }), false);
  assert.equal(isPermissionCheckAllowed('clipboard-sanitized-write', 'app://scribe', { isMainFrame: true }), true);
  assert.equal(isPermissionCheckAllowed('clipboard-sanitized-write', 'app://scribe', { isMainFrame: false }), false);
  assert.equal(isPermissionCheckAllowed('clipboard-sanitized-write', 'https://evil.example', { isMainFrame: true }), false);
  assert.equal(
    isPermissionCheckAllowed('clipboard-sanitized-write', 'app://scribe', { embeddingOrigin: 'https://evil.example', isMainFrame: true }),
    false,
  );
});

test('permission checks: media for our origin, audio or unspecified', () => {
  assert.equal(isPermissionCheckAllowed('media', 'app://scribe'), true);
  assert.equal(isPermissionCheckAllowed('media', 'app://scribe', { mediaType: 'audio', isMainFrame: true }), true);
  assert.equal(isPermissionCheckAllowed('media', 'app://scribe/', { isMainFrame: true }), true);
});

test('permission checks: video, other origins, sub frames and embedding by others are refused', () => {
  assert.equal(isPermissionCheckAllowed('media', 'app://scribe', { mediaType: 'video', isMainFrame: true }), false);
  assert.equal(isPermissionCheckAllowed('media', 'app://scribe', { mediaType: 'unknown', isMainFrame: true }), false);
  assert.equal(isPermissionCheckAllowed('media', 'https://evil.example'), false);
  assert.equal(isPermissionCheckAllowed('media', 'app://scribe.evil'), false);
  assert.equal(isPermissionCheckAllowed('media', 'null'), false);
  assert.equal(isPermissionCheckAllowed('media', ''), false);
  assert.equal(isPermissionCheckAllowed('media', 'app://scribe', { isMainFrame: false }), false);
  assert.equal(isPermissionCheckAllowed('media', 'app://scribe', { embeddingOrigin: 'https://evil.example', isMainFrame: true }), false);
});

test('permission checks: everything but media is refused', () => {
  for (const permission of [
    'notifications',
    'geolocation',
    'clipboard-read',
    'openExternal',
    'hid',
    'serial',
    'usb',
    'fullscreen',
    'background-sync',
  ]) {
    assert.equal(isPermissionCheckAllowed(permission, 'app://scribe'), false, permission);
  }
});
