import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Personal data never goes into a log line: log ids and counts.
 * As a second guard, fields that could carry it are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: [
        'name',
        'email',
        'phone',
        'displayName',
        '*.name',
        '*.email',
        '*.phone',
        '*.displayName',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
