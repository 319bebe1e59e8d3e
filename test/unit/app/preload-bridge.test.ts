import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createPreloadBridge } from '../../../main/app/preload-bridge.js';
import type { IpcRendererLike } from '../../../main/app/preload-bridge.js';
import { channelNames } from '../../../shared/api/contract.js';
import { EVENT_CHANNEL, PRELOAD_GLOBAL } from '../../../shared/api/preload-bridge.js';
import type { EventName } from '../../../shared/api/contract.js';

type RendererListener = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer() {
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<RendererListener>>();
  const ipcRenderer: IpcRendererLike & { secret: string } = {
    secret: 'must never reach the page',
    invoke: (...args: unknown[]) => {
      invoked.push(args);
      return Promise.resolve({ ok: true, value: null });
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const push = (message: unknown) => {
    for (const listener of listeners.get(EVENT_CHANNEL) ?? []) listener({ sender: ipcRenderer }, message);
  };
  return { ipcRenderer, invoked, listeners, push };
}

test('the global is window.scribe', () => {
  assert.equal(PRELOAD_GLOBAL, 'scribe');
});

test('one function per channel, each invoking exactly its own channel', async () => {
  const fake = fakeIpcRenderer();
  const bridge = createPreloadBridge(fake.ipcRenderer);
  assert.deepEqual(Object.keys(bridge).sort(), [...channelNames, 'on'].sort());
  for (const channel of channelNames) {
    await bridge[channel]({ probe: channel });
  }
  assert.deepEqual(
    fake.invoked,
    channelNames.map((channel) => [channel, { probe: channel }]),
  );
});

test('ipcRenderer itself is not reachable from the bridge', () => {
  const fake = fakeIpcRenderer();
  const bridge = createPreloadBridge(fake.ipcRenderer);
  const seen = new Set<unknown>();
  const walk = (value: unknown): void => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
    seen.add(value);
    assert.notEqual(value, fake.ipcRenderer);
    for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key]);
  };
  walk(bridge);
  assert.doesNotMatch(JSON.stringify(Object.keys(bridge)), /invoke|send|ipc|removeListener/i);
  assert.equal(Object.isFrozen(bridge), true);
});

test('on() delivers only the payload of the named event, never the IPC event object', () => {
  const fake = fakeIpcRenderer();
  const bridge = createPreloadBridge(fake.ipcRenderer);
  const received: unknown[][] = [];
  bridge.on('visit:changed', (...args: unknown[]) => received.push(args));
  fake.push({ event: 'visit:changed', payload: { visitId: 'v1', state: 'recording' } });
  fake.push({ event: 'outbox:other', payload: { x: 1 } });
  fake.push(null);
  fake.push('visit:changed');
  assert.deepEqual(received, [[{ visitId: 'v1', state: 'recording' }]]);
});

test('on() refuses unknown event names and non-function listeners', () => {
  const fake = fakeIpcRenderer();
  const bridge = createPreloadBridge(fake.ipcRenderer);
  assert.throws(() => bridge.on('constructor' as EventName, () => {}), TypeError);
  assert.throws(() => bridge.on('scribe:event' as EventName, () => {}), TypeError);
  assert.throws(() => bridge.on('visit:changed', 'alert(1)' as unknown as () => void), TypeError);
  assert.equal(fake.listeners.get(EVENT_CHANNEL)?.size ?? 0, 0);
});

test('the returned function unsubscribes, once', () => {
  const fake = fakeIpcRenderer();
  const bridge = createPreloadBridge(fake.ipcRenderer);
  const received: unknown[] = [];
  const off = bridge.on('visit:changed', (payload) => received.push(payload));
  off();
  off();
  fake.push({ event: 'visit:changed', payload: 1 });
  assert.deepEqual(received, []);
  assert.equal(fake.listeners.get(EVENT_CHANNEL)?.size, 0);
});
