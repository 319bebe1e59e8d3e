import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/temp-store.js';

/**
 * The fuses the build applies, checked by running electron-builder's own fuse step (the one that
 * runs after packing, before signing) over a stand-in Electron binary: random bytes around a fuse
 * wire in the layout @electron/fuses reads, starting from Electron's defaults. Then the wire is
 * read back with @electron/fuses. A real Electron binary cannot be downloaded here.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const requireFromBuilder = createRequire(createRequire(join(repoRoot, 'package.json')).resolve('app-builder-lib/package.json'));

const { getConfig } = requireFromBuilder('./out/util/config/config.js') as {
  getConfig: (projectDir: string, configPath: string | null, fromOptions: null) => Promise<Record<string, unknown>>;
};
const { PlatformPackager } = requireFromBuilder('./out/index.js') as { PlatformPackager: { prototype: object } };
const fuses = {
  ...(requireFromBuilder('@electron/fuses') as {
    FuseV1Options: Record<string, number>;
    getCurrentFuseWire(path: string): Promise<Record<string, unknown>>;
  }),
  ...(requireFromBuilder('@electron/fuses/dist/constants.js') as { SENTINEL: string; FuseState: { DISABLE: number; ENABLE: number } }),
};

const { ENABLE, DISABLE } = fuses.FuseState;
const O = fuses.FuseV1Options as Record<string, number> & {
  RunAsNode: number;
  EnableCookieEncryption: number;
  EnableNodeOptionsEnvironmentVariable: number;
  EnableNodeCliInspectArguments: number;
  EnableEmbeddedAsarIntegrityValidation: number;
  OnlyLoadAppFromAsar: number;
  LoadBrowserProcessSpecificV8Snapshot: number;
  GrantFileProtocolExtraPrivileges: number;
};

/** Electron's shipped defaults for the eight V1 fuses, plus one newer fuse the build must leave alone. */
const ELECTRON_DEFAULTS = [ENABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE, DISABLE, ENABLE, ENABLE];

function fakeElectronBinary(file: string): void {
  const wire = Buffer.from([1, ELECTRON_DEFAULTS.length, ...ELECTRON_DEFAULTS]);
  writeFileSync(file, Buffer.concat([randomBytes(4096), Buffer.from(fuses.SENTINEL, 'ascii'), wire, randomBytes(4096)]));
}

test('the packaged binary gets RunAsNode, NODE_OPTIONS and --inspect off; cookie encryption, ASAR integrity and ASAR-only on', async () => {
  const tmp = tempDir('scribe-fuses-');
  try {
    const config = await getConfig(repoRoot, null, null);
    const binary = join(tmp.dir, 'Ambient Scribe.exe');
    fakeElectronBinary(binary);
    const before = readFileSync(binary);

    // electron-builder's WinPackager runs exactly this step with its config and appInfo.
    const packager = Object.create(PlatformPackager.prototype) as { doAddElectronFuses(context: object): Promise<void> };
    Object.assign(packager, { info: { config }, appInfo: { productFilename: 'Ambient Scribe' } });
    await packager.doAddElectronFuses({ appOutDir: tmp.dir, electronPlatformName: 'win32' });

    const wire = await fuses.getCurrentFuseWire(binary);
    const state = (option: number) => wire[String(option)];
    assert.equal(state(O.RunAsNode), DISABLE, 'RunAsNode');
    assert.equal(state(O.EnableNodeOptionsEnvironmentVariable), DISABLE, 'NODE_OPTIONS');
    assert.equal(state(O.EnableNodeCliInspectArguments), DISABLE, '--inspect');
    assert.equal(state(O.EnableCookieEncryption), ENABLE, 'cookie encryption');
    assert.equal(state(O.EnableEmbeddedAsarIntegrityValidation), ENABLE, 'ASAR integrity validation');
    assert.equal(state(O.OnlyLoadAppFromAsar), ENABLE, 'only load the app from the ASAR');
    assert.equal(state(O.GrantFileProtocolExtraPrivileges), DISABLE, 'file:// gets no extra privileges');
    assert.equal(state(8), ENABLE, 'a fuse we do not configure keeps its default');

    // Only the wire changed: the rest of the binary is byte-for-byte the same.
    const after = readFileSync(binary);
    assert.equal(after.length, before.length);
    const wireAt = before.indexOf(fuses.SENTINEL) + fuses.SENTINEL.length + 2;
    assert.deepEqual(after.subarray(0, wireAt), before.subarray(0, wireAt));
    assert.deepEqual(after.subarray(wireAt + ELECTRON_DEFAULTS.length), before.subarray(wireAt + ELECTRON_DEFAULTS.length));
  } finally {
    tmp.cleanup();
  }
});
