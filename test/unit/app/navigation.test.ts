import assert from 'node:assert/strict';
import { test } from 'vitest';
import { hardenWebContents, isNavigationAllowed, windowOpenDecision } from '../../../main/app/navigation.js';
import type { HardenableContents } from '../../../main/app/navigation.js';

type Listener = (...args: never[]) => void;

/** A fake WebContents that records listeners and the window-open handler. */
function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: (() => { action: 'deny' }) | undefined;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: () => { action: 'deny' }) {
      openHandler = handler;
    },
  };
  /** Emits an event the way Electron does and reports whether any listener prevented it. */
  function emit(event: string, details: { url?: string }, ...args: unknown[]): boolean {
    let prevented = false;
    const eventObject = { ...details, preventDefault: () => (prevented = true) };
    const registered = listeners.get(event) ?? [];
    assert.ok(registered.length > 0, `no listener for ${event}`);
    for (const listener of registered) (listener as (...a: unknown[]) => void)(eventObject, ...args);
    return prevented;
  }
  return { contents: contents as unknown as HardenableContents, emit, openHandler: () => openHandler };
}

test('only in-app URLs may be navigated to', () => {
  assert.equal(isNavigationAllowed('app://scribe/index.html'), true);
  assert.equal(isNavigationAllowed('app://scribe/visits/1'), true);
  for (const url of [
    'https://evil.example/',
    'app://scribe.evil/',
    'https://scribe/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,hi',
    'about:blank',
    '',
  ]) {
    assert.equal(isNavigationAllowed(url), false, url);
  }
  assert.equal(isNavigationAllowed(undefined), false);
});

test('new windows are always denied', () => {
  assert.deepEqual(windowOpenDecision(), { action: 'deny' });
});

test('will-navigate to another origin is prevented; in-app navigation is not', () => {
  const fake = fakeContents();
  hardenWebContents(fake.contents);
  assert.equal(fake.emit('will-navigate', { url: 'https://evil.example/' }, 'https://evil.example/'), true);
  assert.equal(fake.emit('will-navigate', { url: 'app://scribe.evil/' }, 'app://scribe.evil/'), true);
  assert.equal(fake.emit('will-navigate', { url: 'app://scribe/review' }, 'app://scribe/review'), false);
});

test('a mismatch between the event URL and the argument URL is prevented', () => {
  const fake = fakeContents();
  hardenWebContents(fake.contents);
  assert.equal(fake.emit('will-navigate', { url: 'app://scribe/' }, 'https://evil.example/'), true);
  assert.equal(fake.emit('will-navigate', { url: 'https://evil.example/' }, 'app://scribe/'), true);
  assert.equal(fake.emit('will-navigate', {}), true);
});

test('redirects and sub-frame navigations away from the app are prevented', () => {
  const fake = fakeContents();
  hardenWebContents(fake.contents);
  assert.equal(fake.emit('will-redirect', { url: 'https://evil.example/' }, 'https://evil.example/'), true);
  assert.equal(fake.emit('will-redirect', { url: 'app://scribe/index.html' }, 'app://scribe/index.html'), false);
  assert.equal(fake.emit('will-frame-navigate', { url: 'https://evil.example/' }), true);
  assert.equal(fake.emit('will-frame-navigate', { url: 'app://scribe/index.html' }), false);
});

test('webviews are never attached', () => {
  const fake = fakeContents();
  hardenWebContents(fake.contents);
  assert.equal(fake.emit('will-attach-webview', {}, { src: 'app://scribe/' }), true);
});

test('the window-open handler denies everything', () => {
  const fake = fakeContents();
  hardenWebContents(fake.contents);
  const handler = fake.openHandler();
  assert.ok(handler, 'setWindowOpenHandler was not called');
  assert.deepEqual(handler(), { action: 'deny' });
});
