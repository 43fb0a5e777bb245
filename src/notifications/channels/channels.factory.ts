import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { ChannelSet } from '../services/outbox.service';
import { Channel, OutgoingMessage } from './channel';
import { DeliveryError } from './delivery-error';
import { signInHostOfGraph } from './graph-cloud';
import { GraphChannels } from './graph.channels';
import { LogChannel } from './log.channel';
import { SmtpChannel } from './smtp.channel';
import { TeamsWebhookChannel } from './teams-webhook.channel';

/** Teams needs Entra app credentials; without them a Teams reminder is undeliverable and goes by e-mail. */
class TeamsNotConfigured implements Channel {
  async send(_: OutgoingMessage): Promise<void> {
    throw new DeliveryError('Teams is not configured (GRAPH_TENANT_ID and app credentials)', { undeliverable: true });
  }
}

/** The channels the configuration asks for: SMTP, Graph sendMail or the log for e-mail; Graph for Teams. */
export function createChannels(config: AppConfig, clock: Clock): ChannelSet {
  // Graph's tokens come from its own cloud's Entra ID: set, else known from GRAPH_BASE_URL, else the sign-in host.
  const graph = config.graph
    ? new GraphChannels(
        { ...config.graph, authorityHost: config.graph.authorityHost ?? signInHostOfGraph(config.graph.baseUrl) ?? config.entra.authorityHost },
        () => clock.now(),
      )
    : undefined;
  const email: Channel =
    config.mail.transport === 'smtp'
      ? new SmtpChannel(config.mail.smtpUrl!, config.mail.from)
      : config.mail.transport === 'graph'
        ? graph!.mail
        : new LogChannel();
  return { email, teams: graph?.teams ?? new TeamsNotConfigured(), teams_channel: new TeamsWebhookChannel(() => clock.now()) };
}
