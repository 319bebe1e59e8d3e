#!/usr/bin/env node
import { once } from 'node:events';
import { processIo } from './output.js';
import { runCli } from './program.js';

// A closed terminal (SIGHUP) stops a server as Ctrl+C does: its store closed, and why it ended logged (log/exit-reporter.ts).
const untilStopped = () => Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM'), once(process, 'SIGHUP')]).then(() => undefined);

process.exitCode = await runCli(process.argv.slice(2), { io: processIo, env: process.env, untilStopped });
