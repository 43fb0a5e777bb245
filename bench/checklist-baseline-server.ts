import Fastify from 'fastify';
import { Pool, types } from 'pg';
import { tuneGarbageCollection } from '../src/garbage-collection';
import { CHECKLIST_SQL } from '../src/occurrences/services/checklist.service';

// The service's V8 options, so that both servers collect garbage alike. Without them this server too had learnt
// to allocate in the old generation under the closed load, and its open-load p99 was 17–20 ms instead of 12
// (bench/README.md, "Eleventh round").
tuneGarbageCollection();

/**
 * The checklist benchmark's baseline: the smallest server that answers the same question, Fastify and
 * pg running the service's own checklist query (prepared, as the service prepares it), with no
 * authentication, access checks, row-level security, access log or shaping of the answer.
 *   node checklist-baseline-server.js <database url> <port> <today>
 */
async function main(): Promise<void> {
  const [url, port, today] = process.argv.slice(2);
  types.setTypeParser(1082, (value) => value);
  // Its connections kept open as the service keeps its own (src/database/typeorm-options.ts): with node-postgres's
  // default of closing them after 10 s idle, bursts in the open load reopened them and stalled its answers.
  const pool = new Pool({ connectionString: url, max: 20, idleTimeoutMillis: 300_000, keepAlive: true });
  const app = Fastify();
  app.get<{ Params: { id: string }; Querystring: { month: string; municipality: string } }>('/units/:id/checklist', async (request) => {
    const [y, m] = request.query.month.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    // Prepared once per connection, as the service prepares it (src/database/prepared-statements.ts).
    const { rows } = await pool.query({
      name: 'checklist',
      text: CHECKLIST_SQL,
      values: [request.query.municipality, request.params.id, `${request.query.month}-01`, last, false, today],
    });
    return rows;
  });
  await app.listen({ port: Number(port), host: '127.0.0.1' });
  process.stdout.write('listening\n');
}

void main();
