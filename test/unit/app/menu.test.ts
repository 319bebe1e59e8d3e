import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate } from '../../../main/app/menu.js';

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]);
}

test('a packaged build has no DevTools and no reload', () => {
  for (const isMac of [true, false]) {
    const found = roles(buildMenuTemplate({ isPackaged: true, isMac }));
    for (const role of ['toggleDevTools', 'reload', 'forceReload']) assert.equal(found.includes(role), false, `${role} (mac: ${isMac})`);
    assert.ok(found.includes('editMenu'), 'clipboard and undo shortcuts stay');
  }
});

test('a development build has DevTools', () => {
  assert.ok(roles(buildMenuTemplate({ isPackaged: false, isMac: false })).includes('toggleDevTools'));
});

test('macOS gets the app menu; others get File > Quit', () => {
  assert.ok(roles(buildMenuTemplate({ isPackaged: true, isMac: true })).includes('appMenu'));
  const other = roles(buildMenuTemplate({ isPackaged: true, isMac: false }));
  assert.ok(other.includes('quit'));
  assert.equal(other.includes('appMenu'), false);
});
