import { ScribeError } from '../kernel/errors.js';

export const sandboxNotLoopback = () =>
  new ScribeError('bad_request', 'The sandbox EHR listens on the loopback interface only (127.0.0.1, ::1 or localhost).', {
    reason: 'sandbox.not_loopback',
  });

export const sandboxPortInUse = (port: number, listener: 'HTTP' | 'MLLP' = 'HTTP') =>
  new ScribeError(
    'unavailable',
    `The sandbox's ${listener} port ${port} is in use: is a sandbox already running? Pick another port (0: any free one).`,
    {
      reason: 'sandbox.port_in_use',
      details: { port, listener },
    },
  );

export const sandboxClientKeyUnreadable = (errno: string) =>
  new ScribeError('unavailable', 'The sandbox client key file cannot be read.', {
    reason: 'sandbox.client_key_unreadable',
    details: { errno },
  });

export const notASandboxClientKey = () =>
  new ScribeError('bad_request', 'The sandbox client key file is not a key this sandbox wrote.', { reason: 'sandbox.client_key_invalid' });
