import { Logger } from '@nestjs/common';
import { Channel, OutgoingMessage } from './channel';

/** With no mail server configured, messages are written to the log: subject and address only. */
export class LogChannel implements Channel {
  private readonly logger = new Logger('Mail');

  async send(message: OutgoingMessage): Promise<void> {
    this.logger.log({ notificationId: message.id, to: message.address, kind: message.kind }, `Would send: ${message.subject}`);
  }
}
