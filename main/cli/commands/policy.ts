import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { SettingsView } from '../../../shared/domain/policy.js';
import { settingDefaults, settingKeys } from '../../../shared/domain/policy.js';
import { lockedKeys, resolveEffectiveSettings } from '../../policy/effective-settings.js';
import type { PolicyProblem } from '../../policy/errors.js';
import { validatePolicyText } from '../../policy/policy-file.js';
import { policyJsonSchemaText } from '../../policy/policy-reference.js';
import { readUserSettings } from '../../policy/user-settings-file.js';
import { resolveDataDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

export function formatProblems(file: string, problems: readonly PolicyProblem[]): string {
  return [
    `${file} is NOT a valid policy (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
    ...problems.map((p) => `  ${p.field}: ${p.reason}`),
  ].join('\n');
}

export function formatSettingsView(view: SettingsView): string {
  const header = view.policy.file
    ? `Machine policy: ${view.policy.file} (locks ${view.policy.locked.length} setting${view.policy.locked.length === 1 ? '' : 's'})`
    : 'Machine policy: none';
  const width = Math.max(...settingKeys.map((k) => k.length));
  const rows = settingKeys.map((key) => {
    const entry = view.settings[key];
    return `  ${key.padEnd(width)}  ${entry.locked ? 'locked ' : '       '} ${entry.source.padEnd(7)}  ${JSON.stringify(entry.value)}`;
  });
  return [header, '', `  ${'setting'.padEnd(width)}  ${'       '} ${'source'.padEnd(7)}  value`, ...rows].join('\n');
}

export function registerPolicyCommands(program: Command, cli: CliContext): void {
  const policy = program.command('policy').description('the machine-wide policy IT uses to lock settings');
  policy
    .command('validate')
    .description('check a policy file; exit 0 when valid, 1 with each field and reason when not')
    .argument('<file>', 'policy.json to check')
    .option('--json', 'print JSON')
    .action((file: string, o: { json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';
        const problems = [{ field: '(file)', reason: `cannot be read (${code})` }];
        cli.io.out(o.json ? json({ valid: false, problems }) : formatProblems(file, problems));
        process.exitCode = EXIT.error;
        return;
      }
      const result = validatePolicyText(text);
      if (!result.ok) {
        cli.io.out(o.json ? json({ valid: false, problems: result.problems }) : formatProblems(file, result.problems));
        process.exitCode = EXIT.error;
        return;
      }
      const locked = lockedKeys(result.values);
      cli.io.out(
        o.json
          ? json({ valid: true, locked })
          : `${file} is a valid policy. It locks ${locked.length} setting${locked.length === 1 ? '' : 's'}${locked.length ? `: ${locked.join(', ')}` : ''}.`,
      );
    });
  policy
    .command('show')
    .description('effective settings on this machine and where each comes from (default, user, policy)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const machine = cli.policy();
      const user = readUserSettings(resolveDataDir(cli.globals(), cli.env));
      const view: SettingsView = {
        settings: resolveEffectiveSettings(settingDefaults, user.values, machine.values),
        policy: { file: machine.file, locked: lockedKeys(machine.values) },
      };
      cli.io.out(o.json ? json(view) : formatSettingsView(view));
    });
  policy
    .command('schema')
    .description('print the JSON Schema policy files are checked against')
    .action(() => cli.io.out(policyJsonSchemaText().trimEnd()));
}
