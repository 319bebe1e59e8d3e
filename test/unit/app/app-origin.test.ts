import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { test } from 'vitest';
import { APP_ENTRY_URL, APP_HOST, APP_ORIGIN, APP_SCHEME, contentTypeFor, isAppUrl, resolveAppFile } from '../../../main/app/app-origin.js';

const root = join(sep, 'opt', 'ambient-scribe', 'dist', 'renderer');
const index = join(root, 'index.html');

test('constants name our origin', () => {
  assert.equal(APP_SCHEME, 'app');
  assert.equal(APP_HOST, 'scribe');
  assert.equal(APP_ORIGIN, 'app://scribe');
  assert.equal(APP_ENTRY_URL, 'app://scribe/index.html');
});

test('isAppUrl accepts our origin in its usual spellings', () => {
  for (const url of ['app://scribe', 'app://scribe/', 'app://scribe/index.html', 'app://scribe/visits/1?tab=note#top', 'APP://scribe/']) {
    assert.equal(isAppUrl(url), true, url);
  }
});

test('isAppUrl refuses look-alikes that a prefix test would accept', () => {
  for (const url of [
    'app://scribe.evil/',
    'app://scribe.evil.example/index.html',
    'app://scribe@evil/',
    'app://evil@scribe/',
    'app://user:pass@scribe/',
    'app://scribe:8080/',
    'app://scribex/',
    'https://scribe/',
    'http://scribe/',
    'file:///scribe/index.html',
    'scribe://app/',
    'app:scribe',
    'app:/scribe/',
    'javascript:alert(1)//app://scribe/',
    'about:blank',
    '',
    'not a url',
  ]) {
    assert.equal(isAppUrl(url), false, url);
  }
  assert.equal(isAppUrl(undefined), false);
  assert.equal(isAppUrl(null), false);
  assert.equal(isAppUrl(42), false);
});

test('the root and client-side routes serve index.html', () => {
  assert.equal(resolveAppFile(root, 'app://scribe/'), index);
  assert.equal(resolveAppFile(root, 'app://scribe'), index);
  assert.equal(resolveAppFile(root, 'app://scribe/index.html'), index);
  assert.equal(resolveAppFile(root, 'app://scribe/visits/123'), index);
  assert.equal(resolveAppFile(root, 'app://scribe/review?visit=1#note'), index);
});

test('assets map to files under the root', () => {
  assert.equal(resolveAppFile(root, 'app://scribe/assets/index-abc123.js'), join(root, 'assets', 'index-abc123.js'));
  assert.equal(resolveAppFile(root, 'app://scribe/assets/app.css?v=2'), join(root, 'assets', 'app.css'));
  assert.equal(resolveAppFile(root, 'app://scribe/assets/my%20font.woff2'), join(root, 'assets', 'my font.woff2'));
});

test('path traversal is refused, raw or percent-encoded', () => {
  for (const url of [
    'app://scribe/../../etc/passwd',
    'app://scribe/../../../../etc/passwd.txt',
    'app://scribe/assets/../../secret.js',
    'app://scribe/%2e%2e/%2e%2e/etc/passwd',
    'app://scribe/%2E%2E/%2E%2E/etc/passwd.js',
    'app://scribe/.%2e/secret.js',
    'app://scribe/%2e./secret.js',
    'app://scribe/assets/%2e%2e%2f%2e%2e%2fsecret.js',
    'app://scribe/..%2fsecret.js',
    'app://scribe/..%5csecret.js',
    'app://scribe/assets%2f..%2f..%2fsecret.js',
    'app://scribe/..\\..\\secret.js',
    'app://scribe/./index.html',
    'app://scribe/%2e/index.html',
    'app://scribe/C:%5cWindows%5cwin.ini',
    'app://scribe/C:/Windows/win.ini',
    'app://scribe/index.html%00.js',
    'app://scribe/%E0%A4%A.js',
    'app://scribe/.env',
    'app://scribe/assets/.git/config.json',
  ]) {
    assert.equal(resolveAppFile(root, url), null, url);
  }
});

test('other origins are refused, even with a path that exists', () => {
  for (const url of [
    'app://scribe.evil/index.html',
    'app://evil/index.html',
    'app://scribe:1234/index.html',
    'app://x@scribe/index.html',
    'https://scribe/index.html',
    'file:///opt/ambient-scribe/dist/renderer/index.html',
    'not a url',
  ]) {
    assert.equal(resolveAppFile(root, url), null, url);
  }
});

test('every resolved file stays under the root', () => {
  const samples = ['a.js', 'assets/b.css', 'x/y/z.png', '%61.js', 'assets/%252e%252e/c.js'];
  for (const path of samples) {
    const file = resolveAppFile(root, `app://scribe/${path}`);
    assert.ok(file !== null && file.startsWith(root + sep), `${path} -> ${String(file)}`);
  }
});

test('content types: known web types, and opaque bytes for anything else', () => {
  assert.equal(contentTypeFor('/r/index.html'), 'text/html; charset=utf-8');
  assert.equal(contentTypeFor('/r/assets/app.JS'), 'text/javascript; charset=utf-8');
  assert.equal(contentTypeFor('/r/assets/app.css'), 'text/css; charset=utf-8');
  assert.equal(contentTypeFor('/r/assets/x.wasm'), 'application/wasm');
  assert.equal(contentTypeFor('/r/assets/x.exe'), 'application/octet-stream');
  assert.equal(contentTypeFor('/r/assets/noext'), 'application/octet-stream');
});
