import { Logger } from '@nestjs/common';
import { Channel, OutgoingMessage } from './channel';

/**
 * With no mail server configured, messages are noted in the log: which message, to whom, of what kind.
 * Not the subject or body: they pair a task with a recipient's code, which stays out of logs.
 */
export class LogChannel implements Channel {
  private readonly logger = new Logger('Mail');

  async send(message: OutgoingMessage): Promise<void> {
    this.logger.log({ notificationId: message.id, to: message.address, kind: message.kind }, 'No mail transport configured: message not sent by e-mail');
  }
}
