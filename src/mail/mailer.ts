import type * as Nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

/** A file sent with a mail (a calendar, a report's CSV), its content as text. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface Mail {
  /** Stable per outbox message, so a receiving server or client can tell a repeat. */
  messageId: string;
  fromName: string;
  replyTo: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
}

/** Sends one e-mail; throws if the server does not take it. */
export interface Mailer {
  /** How many messages it can send at once. */
  readonly connections: number;
  send(mail: Mail): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer, with pooled connections for the weekly batch. nodemailer is loaded and
 * its transport made at the first mail, not at start (it takes a moment to load).
 */
export class SmtpMailer implements Mailer {
  private made: Transporter | undefined;

  constructor(
    private readonly url: string,
    private readonly fromAddress: string,
    readonly connections = 3,
  ) {}

  private get transport(): Transporter {
    if (!this.made) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const nodemailer = require('nodemailer') as typeof Nodemailer;
      // The options go in one object with the URL: a second argument would be message defaults, not transport options.
      // Timeouts well inside the outbox's lease, so a stuck server cannot make a message look abandoned while it is being sent.
      this.made = nodemailer.createTransport({
        url: this.url,
        pool: true,
        maxConnections: this.connections,
        connectionTimeout: 30_000,
        greetingTimeout: 30_000,
        socketTimeout: 60_000,
      } as object);
    }
    return this.made;
  }

  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail({
      messageId: mail.messageId,
      from: { name: mail.fromName, address: this.fromAddress },
      to: mail.to,
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: mail.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.content,
      })),
    });
  }

  close(): void {
    this.made?.close();
  }
}
