import autocannon from 'autocannon';

/**
 * The load generator, run as its own process so that it does not share an event loop with the server:
 *   node load.js <base url> <connections> <seconds> <token or -> <path> [<path> …]
 * Each request takes the next path in turn. Prints autocannon's result as JSON on stdout.
 */
async function main(): Promise<void> {
  const [url, connections, seconds, token, ...paths] = process.argv.slice(2);
  let next = 0;
  const result = await autocannon({
    url,
    connections: Number(connections),
    duration: Number(seconds),
    headers: token === '-' ? {} : { authorization: `Bearer ${token}` },
    requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
  });
  process.stdout.write(JSON.stringify(result));
}

void main();
