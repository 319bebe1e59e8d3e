import type { Command } from 'commander';
import { createKeyFile } from '../../store/key-file-key-provider.js';
import type { CliContext } from '../session.js';
import { keyFileNeeded } from '../cli-errors.js';

export function registerInitCommand(program: Command, cli: CliContext): void {
  program
    .command('init')
    .description('create an encrypted store in the data folder')
    .option('--create-key-file', 'create the file named by --key-file with a new random key')
    .action(async (options: { createKeyFile?: boolean }) => {
      const keyFile = cli.globals().keyFile;
      if (options.createKeyFile) {
        if (!keyFile) throw keyFileNeeded();
        createKeyFile(keyFile);
      }
      await cli.withScribe('create', (scribe) => cli.io.out(`Created an encrypted store at ${scribe.store.path}.`));
    });
}
