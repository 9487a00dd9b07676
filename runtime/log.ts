/** pino, one child logger per module. Logs go to stderr so stdout stays for command output. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destinationFd = 2): Logger {
  return pino({ level, base: undefined }, pino.destination({ fd: destinationFd, sync: true }));
}

/** A logger that drops everything: for tests and quiet commands. */
export const silentLogger: Logger = pino({ level: 'silent' });
