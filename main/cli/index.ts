#!/usr/bin/env node
import { once } from 'node:events';
import { processIo } from './output.js';
import { runCli } from './program.js';

const untilStopped = () => Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]).then(() => undefined);

process.exitCode = await runCli(process.argv.slice(2), { io: processIo, env: process.env, untilStopped });
