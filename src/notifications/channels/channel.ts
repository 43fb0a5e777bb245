/** Connections the SMTP pool keeps open to the mail server. */
export const SMTP_CONNECTIONS = 5;

/**
 * Messages a replica has on their way at once (the outbox's senders, each with a database connection of its
 * own for its 'sent' mark). More than the SMTP connections: while one sender waits for its mark's commit,
 * another's message is already queued in nodemailer's pool, so no SMTP connection waits for the database.
 * A message waiting in that queue keeps its lease (the outbox renews it).
 */
export const SENDERS = 10;

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
