import { createTransport, Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool';
import { Channel, messageIdOf, OutgoingMessage, SMTP_CONNECTIONS } from './channel';
import { DeliveryError } from './delivery-error';

/**
 * E-mail through SMTP with nodemailer: pooled connections, TLS as the URL says (smtp:// with STARTTLS, smtps://).
 * The pool answers each message on its own server reply (the 250 after the final dot). It keeps fewer
 * connections than the outbox has senders, so the next message is queued when a connection comes free.
 */
export class SmtpChannel implements Channel {
  private readonly transport: Transporter;

  constructor(smtpUrl: string, private readonly from: string) {
    const options: SMTPPool.Options = { url: smtpUrl, pool: true, maxConnections: SMTP_CONNECTIONS, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
    // The pool itself, handed to createTransport: given an object with `url`, createTransport keeps only what
    // the URL says and drops the rest — `pool`, `maxConnections` and the timeouts — so every message opened a
    // connection of its own. SMTPPool merges the URL's settings into these options instead.
    this.transport = createTransport(new SMTPPool(options));
  }

  async send(message: OutgoingMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.from,
        to: message.address,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: messageIdOf(message.id),
        headers: { 'X-Arshjul-Kind': message.kind },
        attachments: message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
    } catch (error) {
      const e = error as { responseCode?: number; message: string };
      // 5xx from the server for this address will not get better by retrying; anything else might.
      throw new DeliveryError(`SMTP: ${e.message}`, { undeliverable: e.responseCode !== undefined && e.responseCode >= 550 && e.responseCode < 560 });
    }
  }

  close(): void {
    this.transport.close();
  }
}
