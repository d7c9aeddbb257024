import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout (stderr for the CLI, whose stdout may be data). */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino({ level, base: { service: 'notes-stream' } }, pino.destination({ fd: destination, sync: false }));
}
