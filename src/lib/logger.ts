import { writeSync } from 'node:fs';
import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Personal data never goes into a log line: log ids and counts.
 * As a second guard, fields that could carry it are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
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
    },
    standardOutput(),
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
