/**
 * Microsoft Graph runs in the global cloud and in national clouds, each with its own Graph host and its
 * own Entra ID sign-in host (learn.microsoft.com/graph/deployments). An app token must be asked of the
 * cloud's sign-in host, for the scope of that cloud's Graph: a token for graph.microsoft.com is refused
 * by graph.microsoft.us.
 */
const SIGN_IN_HOST_OF_GRAPH_HOST: Record<string, string> = {
  'graph.microsoft.com': 'https://login.microsoftonline.com',
  'graph.microsoft.us': 'https://login.microsoftonline.us', // US Government L4 (GCC High)
  'dod-graph.microsoft.us': 'https://login.microsoftonline.us', // US Government L5 (DoD)
  'microsoftgraph.chinacloudapi.cn': 'https://login.chinacloudapi.cn', // operated by 21Vianet
};

/** The `.default` scope of the Graph that GRAPH_BASE_URL names: all the app's granted permissions there. */
export function graphScope(graphBaseUrl: string): string {
  return `${new URL(graphBaseUrl).origin}/.default`;
}

/** The sign-in host of the Graph's cloud, if it is one of Microsoft's; otherwise (a stand-in, a proxy) undefined. */
export function signInHostOfGraph(graphBaseUrl: string): string | undefined {
  return SIGN_IN_HOST_OF_GRAPH_HOST[new URL(graphBaseUrl).hostname.toLowerCase()];
}
