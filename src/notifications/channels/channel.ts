/**
 * Messages a replica has on their way at once (the outbox's senders). The SMTP pool keeps as many
 * connections, so a claimed message never waits in nodemailer's queue for a connection.
 */
export const SENDERS = 5;

/** A message from the outbox, as a channel needs it. */
export interface OutgoingMessage {
  id: string;
  channel: 'email' | 'teams' | 'teams_channel';
  /** E-mail address, Entra user id / UPN, or webhook URL. */
  address: string;
  subject: string;
  text: string;
  html: string;
  /** The link the message points to. */
  link: string;
  kind: string;
  /** Files sent with an e-mail (the kjedeavtrykk's CSV); other channels leave them out. */
  attachments?: MailAttachment[];
}

/** A small text file sent with a message, kept in the outbox row with it. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/** Delivers one message or throws a DeliveryError. */
export interface Channel {
  send(message: OutgoingMessage): Promise<void>;
  /** Closes pooled connections at shutdown. */
  close?(): void;
}

/** A stable Message-ID per outbox row: a resend after a crash is recognisably the same message. */
export function messageIdOf(notificationId: string): string {
  return `<${notificationId}@arshjul>`;
}
