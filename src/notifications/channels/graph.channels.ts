import { ConfidentialClientApplication } from '@azure/msal-node';
import { AuthenticationHandler, Client, GraphError, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import { AppConfig } from '../../config/app-config';
import { Channel, OutgoingMessage } from './channel';
import { DeliveryError, retryAfterSeconds } from './delivery-error';
import { graphScope } from './graph-cloud';

type GraphConfig = NonNullable<AppConfig['graph']>;

/**
 * Microsoft Graph with app credentials (client credentials flow through MSAL): e-mail by
 * `POST /users/{sender}/sendMail` and Teams activity-feed notifications by
 * `POST /users/{id}/teamwork/sendActivityNotification`. The Graph client's own retry handler is left out:
 * a 429 or 503 goes back to the outbox, which waits for its Retry-After without holding a worker.
 */
export class GraphChannels {
  readonly mail: Channel;
  readonly teams: Channel;
  private readonly client: Client;

  constructor(private readonly config: GraphConfig & { authorityHost: string }, private readonly now: () => Date) {
    const authorityHost = config.authorityHost.replace(/\/$/, '');
    const scope = graphScope(config.baseUrl);
    const msal = new ConfidentialClientApplication({
      auth: {
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        authority: `${authorityHost}/${config.tenantId}`,
        // Any other host than Entra's own (a national cloud, or the tests' stand-in) is trusted as given.
        knownAuthorities: [new URL(authorityHost).host],
      },
    });
    const acquire = async () => {
      const result = await msal.acquireTokenByClientCredential({ scopes: [scope] });
      if (!result?.accessToken) throw new DeliveryError('Graph: no access token from Entra ID');
      return result.accessToken;
    };
    // Messages go out side by side; they share one token request while MSAL's cache is still empty.
    let pending: Promise<string> | undefined;
    const authentication = new AuthenticationHandler({
      getAccessToken: () => (pending ??= acquire().finally(() => (pending = undefined))),
    });
    authentication.setNext(new HTTPMessageHandler());
    const base = new URL(config.baseUrl);
    this.client = Client.initWithMiddleware({
      middleware: authentication,
      baseUrl: `${base.origin}/`,
      defaultVersion: base.pathname.replace(/^\/|\/$/g, '') || 'v1.0',
      customHosts: new Set([base.hostname]),
    });
    this.mail = { send: (m) => this.sendMail(m) };
    this.teams = { send: (m) => this.sendActivity(m) };
  }

  private async sendMail(message: OutgoingMessage): Promise<void> {
    if (!this.config.sender) throw new DeliveryError('Graph mail needs GRAPH_SENDER', { undeliverable: true });
    await this.call(() =>
      this.client.api(`/users/${encodeURIComponent(this.config.sender!)}/sendMail`).post({
        message: {
          subject: message.subject,
          body: { contentType: 'HTML', content: message.html },
          toRecipients: [{ emailAddress: { address: message.address } }],
          internetMessageHeaders: [{ name: 'X-Arshjul-Id', value: message.id }],
          ...(message.attachments?.length
            ? {
                attachments: message.attachments.map((a) => ({
                  '@odata.type': '#microsoft.graph.fileAttachment',
                  name: a.filename,
                  contentType: a.contentType,
                  contentBytes: Buffer.from(a.content, 'utf8').toString('base64'),
                })),
              }
            : {}),
        },
        saveToSentItems: false,
      }),
    );
  }

  private async sendActivity(message: OutgoingMessage): Promise<void> {
    await this.call(
      () =>
        this.client.api(`/users/${encodeURIComponent(message.address)}/teamwork/sendActivityNotification`).post({
          topic: { source: 'text', value: 'Årshjul', webUrl: message.link },
          activityType: 'taskReminder',
          previewText: { content: message.subject.slice(0, 150) },
          templateParameters: [{ name: 'taskTitle', value: message.subject.replace(/^Årshjul – /, '').slice(0, 150) }],
        }),
      // Graph answers 403 or 404 when the person does not have the Årshjul Teams app installed.
      [403, 404],
    );
  }

  private async call(request: () => Promise<unknown>, undeliverableStatuses: number[] = []): Promise<void> {
    try {
      await request();
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      const e = error as GraphError;
      const status = e.statusCode;
      throw new DeliveryError(`Graph ${status || 'error'}: ${e.code ?? ''} ${e.message}`.trim(), {
        retryAfterSeconds: [429, 503].includes(status) ? retryAfterSeconds(e.headers?.get('retry-after'), this.now()) : undefined,
        undeliverable: undeliverableStatuses.includes(status),
      });
    }
  }
}
