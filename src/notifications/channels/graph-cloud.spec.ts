import { graphScope, signInHostOfGraph } from './graph-cloud';

describe('the Graph cloud of GRAPH_BASE_URL', () => {
  it.each([
    ['https://graph.microsoft.com/v1.0', 'https://graph.microsoft.com/.default', 'https://login.microsoftonline.com'],
    ['https://graph.microsoft.us/v1.0', 'https://graph.microsoft.us/.default', 'https://login.microsoftonline.us'],
    ['https://dod-graph.microsoft.us/v1.0', 'https://dod-graph.microsoft.us/.default', 'https://login.microsoftonline.us'],
    ['https://microsoftgraph.chinacloudapi.cn/v1.0', 'https://microsoftgraph.chinacloudapi.cn/.default', 'https://login.chinacloudapi.cn'],
  ])('%s asks for %s at %s', (base, scope, signIn) => {
    expect(graphScope(base)).toBe(scope);
    expect(signInHostOfGraph(base)).toBe(signIn);
  });

  it('leaves the sign-in host of an unknown Graph host to the configuration', () => {
    expect(graphScope('https://localhost:8443/v1.0')).toBe('https://localhost:8443/.default');
    expect(signInHostOfGraph('https://localhost:8443/v1.0')).toBeUndefined();
  });
});
