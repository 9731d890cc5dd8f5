import { type AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 (a free port) that keeps what it receives. `down()` makes it
 * refuse mail (a 451, as a busy or broken server would) until `up()`.
 */
export async function startSmtp(options: { delayMs?: number } = {}) {
  const received: ParsedMail[] = [];
  let refusing = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      const answer = async () => {
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        if (refusing) return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        received.push(await simpleParser(Buffer.concat(chunks)));
        callback();
      };
      stream.on('end', () => void answer().catch((err: Error) => callback(err)));
    },
  });
  // A client that dies mid-message (a service process killed in a test) resets its connection: a real
  // server shrugs that off, and without a listener the 'error' event would end the test process.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    down: () => void (refusing = true),
    up: () => void (refusing = false),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
