import autocannon from 'autocannon';
import { Agent, request } from 'node:http';

/**
 * The load generator, run as its own process so that it does not share an event loop with the server:
 *   node load.js <base url> <connections> <seconds> <requests/s or 0> <token or -> <path> [<path> …]
 * Each request takes the next path in turn. Prints the result as JSON on stdout.
 *
 * Rate 0, a closed load (autocannon): each connection sends its next request as soon as its answer
 * arrives, the most the server can take. A rate, an open load: requests start at even intervals, as
 * many people clicking, over at most <connections> kept-alive connections; a slow answer does not hold
 * back the next request. (autocannon's own rate sends each second's requests in one burst.)
 */
async function main(): Promise<void> {
  const [url, connections, seconds, rate, token, ...paths] = process.argv.slice(2);
  const headers: Record<string, string> = token === '-' ? {} : { authorization: `Bearer ${token}` };
  let next = 0;
  if (Number(rate) > 0) {
    process.stdout.write(JSON.stringify(await openLoad(url, Number(connections), Number(seconds), Number(rate), headers, () => paths[next++ % paths.length])));
    return;
  }
  const result = await autocannon({
    url,
    connections: Number(connections),
    duration: Number(seconds),
    headers,
    requests: [{ setupRequest: (r) => ({ ...r, path: paths[next++ % paths.length] }) }],
  });
  process.stdout.write(JSON.stringify(result));
}

async function openLoad(url: string, connections: number, seconds: number, rate: number, headers: Record<string, string>, nextPath: () => string) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(url);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const inFlight: Array<Promise<void>> = [];
  const send = () =>
    new Promise<void>((resolve) => {
      const start = performance.now();
      const req = request({ hostname, port, path: nextPath(), headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - start);
          if (res.statusCode! >= 300) non2xx++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const began = performance.now();
  const total = Math.round(seconds * rate);
  for (let n = 0; n < total; n++) {
    const due = began + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send());
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] * 10) / 10;
  const duration = (performance.now() - began) / 1000;
  return {
    requests: { average: latencies.length / duration, total: latencies.length },
    latency: { p50: at(50), p90: at(90), p99: at(99), average: latencies.reduce((a, b) => a + b, 0) / latencies.length, max: at(100) },
    non2xx,
    errors,
    timeouts: 0,
    duration,
  };
}

void main();
