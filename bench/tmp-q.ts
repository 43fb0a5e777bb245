import { benchDatabase, withClient } from './lib/bench-db';
(async () => {
  const db = await benchDatabase();
  await withClient(db.url, async (c) => {
    for (const q of process.argv.slice(2)) console.log(JSON.stringify((await c.query(q)).rows));
  });
  await db.stop();
})();
