import { writeSync } from 'node:fs';
import pino, { type Logger } from 'pino';

/** The fields that could carry personal data: a walk-in's first name (`firstName`) among them. */
const PERSONAL = ['name', 'firstName', 'displayName', 'email', 'phone'];

/**
 * Structured JSON logs. Personal data never goes into a log line: log ids and counts.
 * As a second guard, fields that could carry it are redacted wherever they appear: names,
 * a walk-in's first name, e-mails and phone numbers, at the top, one or two levels down, and in
 * lists of entries. `destination`: where lines go (stdout unless a test reads them).
 */
export function createLogger(level: string, destination: { write(line: string): void } = standardOutput()): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          ...PERSONAL.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*[*].${k}`, `*.*[*].${k}`]),
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/**
 * Log lines to stdout that never hold the service up. pino's default destination retries a
 * refused write in a sleeping loop, so once the log reader had gone (a closed pipe) a SIGTERM
 * went unanswered for most of a minute. Here a reader that has gone (EPIPE) ends the logging,
 * and a pipe that is full (EAGAIN) drops the rest of that line rather than stall requests.
 */
function standardOutput(): { write(line: string): void } {
  let gone = false;
  // A line cut off by a full pipe is ended before the next one, so every line read stays one JSON object.
  let cutOff = false;
  return {
    write(line: string) {
      if (gone) return;
      let bytes = Buffer.from(cutOff ? `\n${line}` : line);
      const whole = bytes.length;
      try {
        while (bytes.length) bytes = bytes.subarray(writeSync(1, bytes));
        cutOff = false;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') gone = true;
        else if (bytes.length < whole) cutOff = true;
      }
    },
  };
}

export type { Logger };
