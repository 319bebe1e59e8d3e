import type { MenuItemConstructorOptions } from 'electron';

export interface MenuInput {
  /** `app.isPackaged`: a packaged build has no DevTools or reload entries. */
  readonly isPackaged: boolean;
  readonly isMac: boolean;
}

/**
 * The application menu, built from roles only. The Edit menu is kept because it carries the
 * clipboard and undo shortcuts text editing needs; DevTools (which can read every note on
 * screen and call the API) exist only in development builds.
 */
export function buildMenuTemplate(input: MenuInput): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = input.isPackaged
    ? [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }]
    : [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ];
  const first: MenuItemConstructorOptions = input.isMac ? { role: 'appMenu' } : { label: 'File', submenu: [{ role: 'quit' }] };
  return [first, { role: 'editMenu' }, { label: 'View', submenu: view }, { role: 'windowMenu' }];
}
