import nodemailer, { Transporter } from 'nodemailer';
import type { OutboxAttachment } from '../db/entities';

export interface Mail {
  /** Stable per outbox message, so a receiving server or client can tell a repeat. */
  messageId: string;
  fromName: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: OutboxAttachment[];
}

/** Sends one e-mail; throws if the server does not take it. */
export interface Mailer {
  /** How many messages it can send at once. */
  readonly connections: number;
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer, with pooled connections for the weekly batch. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(url: string, private readonly fromAddress: string, readonly connections = 3) {
    // The options go in one object with the URL: a second argument would be message defaults, not transport options.
    this.transport = nodemailer.createTransport({ url, pool: true, maxConnections: connections } as object);
  }

  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail({
      messageId: mail.messageId,
      from: { name: mail.fromName, address: this.fromAddress },
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    });
  }

  close(): void {
    this.transport.close();
  }
}
