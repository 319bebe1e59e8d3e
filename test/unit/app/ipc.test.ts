import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { CallContext } from '../../../main/kernel/actor.js';
import type { Dispatch } from '../../../main/api/dispatch.js';
import { createEventBus } from '../../../main/kernel/event-bus.js';
import { isTrustedSender, registerIpcHandlers } from '../../../main/app/ipc.js';
import type { FrameLike, InvokeEventLike, IpcMainLike, MainWindowLike } from '../../../main/app/ipc.js';
import { channelNames } from '../../../shared/api/contract.js';
import type { ApiResult } from '../../../shared/api/errors.js';

const actor = { id: 'dr.test', role: 'clinician' } as const;

function frame(url: string, extra: Partial<FrameLike> = {}): FrameLike {
  return { url, parent: null, processId: 4, routingId: 1, ...extra };
}

type IpcListener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, IpcListener>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      assert.equal(handlers.has(channel), false, `second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  return { ipcMain, handlers };
}

function fakeWindow(mainFrame: FrameLike) {
  const sent: unknown[][] = [];
  let destroyed = false;
  const window: MainWindowLike = {
    isDestroyed: () => destroyed,
    webContents: { mainFrame, isDestroyed: () => destroyed, send: (...args: unknown[]) => void sent.push(args) },
  };
  return { window, sent, destroy: () => (destroyed = true) };
}

function setup() {
  const calls: { channel: string; request: unknown; ctx: CallContext }[] = [];
  const dispatch: Dispatch = (channel, request, ctx) => {
    calls.push({ channel, request, ctx });
    return Promise.resolve({ ok: true, value: { echoed: channel } });
  };
  const events = createEventBus();
  const { ipcMain, handlers } = fakeIpcMain();
  const mainFrame = frame('app://scribe/index.html');
  const win = fakeWindow(mainFrame);
  let current: MainWindowLike | null = win.window;
  const dispose = registerIpcHandlers({ ipcMain, dispatch, events, getMainWindow: () => current, actor });
  const invoke = async (channel: string, senderFrame: FrameLike | null, request: unknown = {}) => {
    const handler = handlers.get(channel);
    assert.ok(handler, `no handler for ${channel}`);
    return (await handler({ senderFrame }, request)) as ApiResult<unknown>;
  };
  return { calls, events, handlers, mainFrame, win, invoke, dispose, closeWindow: () => (current = null) };
}

test('isTrustedSender: only our main frame showing our origin', () => {
  const main = frame('app://scribe/index.html');
  assert.equal(isTrustedSender(main, main), true);
  assert.equal(isTrustedSender(frame('app://scribe/review'), main), true, 'same frame id after in-app navigation');
  assert.equal(isTrustedSender(main), true, 'no main frame to compare with: origin and top-level checks still apply');
});

test('isTrustedSender: refuses missing frames, other origins, sub frames and other windows', () => {
  const main = frame('app://scribe/index.html');
  assert.equal(isTrustedSender(null, main), false);
  assert.equal(isTrustedSender(undefined, main), false);
  assert.equal(isTrustedSender(frame('https://evil.example/', {}), main), false);
  assert.equal(isTrustedSender(frame('app://scribe.evil/index.html'), main), false);
  assert.equal(isTrustedSender(frame('file:///index.html'), main), false);
  assert.equal(isTrustedSender(frame('app://scribe/index.html', { parent: main, routingId: 7 }), main), false);
  assert.equal(
    isTrustedSender(frame('app://scribe/index.html', { parent: main }), main),
    false,
    'a sub frame is refused even with matching ids',
  );
  assert.equal(isTrustedSender(frame('app://scribe/index.html', { processId: 9, routingId: 3 }), main), false, 'another window');
  assert.equal(isTrustedSender(frame('app://scribe/index.html', { processId: undefined, routingId: undefined }), main), false);
  assert.equal(isTrustedSender(main, null), false, 'no main window');
});

test('registers exactly one handler per contract channel', () => {
  const { handlers } = setup();
  assert.deepEqual([...handlers.keys()].sort(), [...channelNames].sort());
});

test('a trusted call is forwarded to dispatch with transport ipc and the actor', async () => {
  const { calls, invoke, mainFrame } = setup();
  const result = await invoke('visit:list', mainFrame, { limit: 5 });
  assert.deepEqual(result, { ok: true, value: { echoed: 'visit:list' } });
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.channel, 'visit:list');
  assert.deepEqual(calls[0]?.request, { limit: 5 });
  assert.deepEqual(calls[0]?.ctx, { transport: 'ipc', actor });
});

test('a frame from another origin is refused and dispatch is never called', async () => {
  const { calls, invoke } = setup();
  for (const sender of [frame('https://evil.example/'), frame('app://scribe.evil/'), null]) {
    const result = await invoke('visit:create', sender, { patientId: 'x' });
    assert.deepEqual(result, { ok: false, error: { code: 'forbidden', message: 'Request from an untrusted frame was refused.' } });
  }
  assert.equal(calls.length, 0);
});

test('a sub frame or another window is refused', async () => {
  const { calls, invoke, mainFrame } = setup();
  const sub = await invoke('app:info', frame('app://scribe/index.html', { parent: mainFrame, routingId: 2 }));
  assert.equal(sub.ok, false);
  const other = await invoke('app:info', frame('app://scribe/index.html', { processId: 99 }));
  assert.equal(other.ok, false);
  assert.equal(calls.length, 0);
});

test('calls are refused once the main window is gone', async () => {
  const { calls, invoke, mainFrame, closeWindow } = setup();
  closeWindow();
  const result = await invoke('app:info', mainFrame);
  assert.equal(result.ok, false);
  assert.equal(calls.length, 0);
});

test('a throwing dispatch yields a generic internal error, not its message', async () => {
  const { ipcMain, handlers } = fakeIpcMain();
  const mainFrame = frame('app://scribe/index.html');
  const win = fakeWindow(mainFrame);
  registerIpcHandlers({
    ipcMain,
    dispatch: () => Promise.reject(new Error('patient Zelda Quux-Sentinel MRN 99887766')),
    events: createEventBus(),
    getMainWindow: () => win.window,
    actor,
  });
  const result = (await handlers.get('app:info')?.({ senderFrame: mainFrame }, {})) as ApiResult<unknown>;
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.error.code === 'internal');
  assert.doesNotMatch(JSON.stringify(result), /Zelda|99887766/);
});

test('events are forwarded to the main window on scribe:event', () => {
  const { events, win } = setup();
  const payload = { visitId: '6f1c1d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f', state: 'recording' };
  events.emit('visit:changed', payload as never);
  assert.deepEqual(win.sent, [['scribe:event', { event: 'visit:changed', payload }]]);
});

test('events are not sent to a destroyed window', () => {
  const { events, win } = setup();
  win.destroy();
  events.emit('visit:changed', { visitId: '6f1c1d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f', state: 'recording' } as never);
  assert.deepEqual(win.sent, []);
});

test('dispose removes the handlers and stops forwarding events', () => {
  const { dispose, handlers, events, win } = setup();
  dispose();
  assert.equal(handlers.size, 0);
  events.emit('visit:changed', { visitId: '6f1c1d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f', state: 'recording' } as never);
  assert.deepEqual(win.sent, []);
});
