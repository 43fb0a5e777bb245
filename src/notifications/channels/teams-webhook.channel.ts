import { adaptiveCard } from '../messages';
import { Channel, OutgoingMessage } from './channel';
import { DeliveryError, retryAfterSeconds } from './delivery-error';

/** Posts an Adaptive Card to a unit's Teams channel through the Workflows webhook configured for the unit. */
export class TeamsWebhookChannel implements Channel {
  constructor(private readonly now: () => Date) {}

  async send(message: OutgoingMessage): Promise<void> {
    const response = await fetch(message.address, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(adaptiveCard({ subject: message.subject, text: message.text, html: message.html }, message.link)),
      signal: AbortSignal.timeout(15_000),
    }).catch((error: Error) => {
      throw new DeliveryError(`Teams webhook: ${error.message}`);
    });
    if (response.ok) return;
    throw new DeliveryError(`Teams webhook answered ${response.status}`, {
      retryAfterSeconds: [429, 503].includes(response.status) ? retryAfterSeconds(response.headers.get('retry-after'), this.now()) : undefined,
      undeliverable: response.status === 404 || response.status === 410,
    });
  }
}
