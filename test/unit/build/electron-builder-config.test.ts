import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'vitest';
import { fileURLToPath } from 'node:url';

/**
 * electron-builder.yml, loaded and validated by electron-builder's own code (app-builder-lib's
 * getConfig + validateConfiguration, which checks against its scheme.json), then the settings the
 * deployment depends on. Packaging itself cannot run here (no Electron distribution can be
 * downloaded), so this is what stands between a typo and a broken installer.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const requireFromBuilder = createRequire(createRequire(join(repoRoot, 'package.json')).resolve('app-builder-lib/package.json'));

type Config = Record<string, unknown> & {
  asar?: boolean;
  asarUnpack?: string[];
  extraResources?: { from: string; to: string }[];
  files?: string[];
  mac?: Record<string, unknown>;
  win?: Record<string, unknown>;
  nsis?: Record<string, unknown>;
  msi?: Record<string, unknown>;
  linux?: Record<string, unknown>;
  publish?: Record<string, unknown>;
};

const { getConfig, validateConfiguration } = requireFromBuilder('./out/util/config/config.js') as {
  getConfig: (projectDir: string, configPath: string | null, fromOptions: Record<string, unknown> | null) => Promise<Config>;
  validateConfiguration: (config: Config, debugLogger: unknown) => Promise<void>;
};
const { DebugLogger } = requireFromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const validate = (config: Config) => validateConfiguration(config, new DebugLogger(false));

const targetsOf = (section: Record<string, unknown> | undefined): string[] => {
  const target = section?.['target'];
  return (Array.isArray(target) ? target : [target]).map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
};

describe('electron-builder.yml', () => {
  test("passes electron-builder's own configuration schema", async () => {
    const config = await getConfig(repoRoot, null, null);
    await validate(config);
  });

  test('the validation is real: a misspelt option is refused', async () => {
    const config = await getConfig(repoRoot, null, null);
    await assert.rejects(validate({ ...config, nsis: { ...config.nsis, perMachin: true } }), /configuration\.nsis/);
    await assert.rejects(validate({ ...config, electronFuses: { runAsnode: false } }), /electronFuses/);
  });

  test('the Azure Trusted Signing variant documented for IT is valid too', async () => {
    const config = await getConfig(repoRoot, null, {
      win: {
        azureSignOptions: {
          publisherName: 'Example Health System',
          endpoint: 'https://eus.codesigning.azure.net',
          codeSigningAccountName: 'example-signing',
          certificateProfileName: 'example-profile',
        },
      },
    });
    await validate(config);
    assert.deepEqual(targetsOf(config.win), ['nsis', 'msi'], 'the override adds signing, not replaces the targets');
  });

  test('installers: NSIS and MSI per machine, DMG + zip hardened and notarized, AppImage and deb', async () => {
    const config = await getConfig(repoRoot, null, null);
    assert.deepEqual(targetsOf(config.win), ['nsis', 'msi']);
    assert.equal(config.nsis?.['perMachine'], true);
    assert.equal(config.nsis?.['oneClick'], false);
    assert.equal(config.nsis?.['deleteAppDataOnUninstall'], false, 'uninstalling must not delete unsent notes');
    assert.equal(config.nsis?.['runAfterFinish'], false);
    assert.equal(config.msi?.['perMachine'], true);
    assert.match(
      String(config.msi?.['upgradeCode']),
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      'a fixed upgrade code',
    );
    assert.deepEqual(targetsOf(config.mac), ['dmg', 'zip'], 'Squirrel.Mac updates need the zip');
    assert.equal(config.mac?.['hardenedRuntime'], true);
    assert.equal(config.mac?.['notarize'], true);
    assert.equal(config.mac?.['forceCodeSigning'], true);
    assert.equal(config.win?.['forceCodeSigning'], true);
    assert.equal(config.win?.['verifyUpdateCodeSignature'], true);
    assert.deepEqual(targetsOf(config.linux), ['AppImage', 'deb']);
  });

  test('ASAR on with native modules unpacked; the optional models folder ships beside it', async () => {
    const config = await getConfig(repoRoot, null, null);
    assert.equal(config.asar, true);
    for (const pattern of ['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/onnxruntime-node/bin/**']) {
      assert.ok(config.asarUnpack?.includes(pattern), pattern);
    }
    assert.deepEqual(
      config.extraResources?.map(({ from, to }) => ({ from, to })),
      [{ from: 'models', to: 'models' }],
    );
  });

  test('no secrets and a generic update provider', async () => {
    const config = await getConfig(repoRoot, null, null);
    assert.equal(config.publish?.['provider'], 'generic');
    const text = JSON.stringify(config);
    for (const secret of ['cscKeyPassword', 'cscLink', 'certificatePassword', 'APPLE_APP_SPECIFIC_PASSWORD"', 'AZURE_CLIENT_SECRET"']) {
      assert.ok(!text.includes(secret), `${secret} must come from the environment, not the config`);
    }
  });

  test('the mac entitlements grant the microphone and nothing else beyond what V8 needs', async () => {
    const { readFileSync } = await import('node:fs');
    const config = await getConfig(repoRoot, null, null);
    const plist = readFileSync(join(repoRoot, String(config.mac?.['entitlements'])), 'utf8');
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]).sort();
    assert.deepEqual(keys, [
      'com.apple.security.cs.allow-jit',
      'com.apple.security.cs.allow-unsigned-executable-memory',
      'com.apple.security.device.audio-input',
    ]);
  });
});
