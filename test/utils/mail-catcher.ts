import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attachments: Array<{ filename: string; contentType: string; content: string }>;
}

/**
 * A real SMTP server (smtp-server) in the test process that parses every message it accepts (mailparser).
 * It can be stopped and started again on the same port to play an outage, and be slow to accept each message.
 * A `gate` decides, once a message has arrived whole, whether the server answers 250 (the message counts as
 * received) or 451 (it does not; the sender tries again) — and when: it may hold the answer back.
 */
export class MailCatcher {
  readonly received: ReceivedMail[] = [];
  /** Errors of the server other than a sender's connection being reset. */
  readonly errors: Error[] = [];
  port = 0;
  private server?: SMTPServer;

  constructor(private readonly options: { acceptAfterMs?: number; gate?: (mail: ReceivedMail) => Promise<boolean> } = {}) {}

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true, // no DNS here: a reverse lookup would only add latency
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then(async (mail) => {
            if (this.options.acceptAfterMs) await new Promise((r) => setTimeout(r, this.options.acceptAfterMs));
            const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
            const received: ReceivedMail = {
              to: to?.value[0]?.address ?? '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
              attachments: mail.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content.toString('utf8') })),
            };
            if (this.options.gate && !(await this.options.gate(received))) {
              return callback(Object.assign(new Error('Not accepted now, try again later'), { responseCode: 451 }));
            }
            this.received.push(received);
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    // A sender killed mid-conversation (the replicated test's SIGKILL) resets its connection; smtp-server
    // reports that on the server, where with no listener it would be an uncaught error of the test file.
    this.server.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') this.errors.push(error);
    });
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to === address);
  }
}
