// Loaded with `node -r` into a reminder pass (test/e2e/read-replicas.e2e-spec.ts): the process SIGKILLs itself
// at a set point of its own writes to PostgreSQL, before PostgreSQL can have answered:
// - KILL_AFTER_SENT_MARK=N: right after writing its Nth 'sent' mark — the outbox's claim that a mark once
//   written is not undone by the sender's death;
// - KILL_AFTER_CLAIM=N: right after writing the COMMIT of its Nth claim (behind PgBouncer in transaction mode a
//   claim is BEGIN, the UPDATE, COMMIT) — it dies holding the rows it claimed ahead, which must go out once,
//   from another process, after their lease.
const net = require('node:net');

const afterMark = Number(process.env.KILL_AFTER_SENT_MARK);
const afterClaim = Number(process.env.KILL_AFTER_CLAIM);
let marks = 0;
let claims = 0;
let claimedOn;
const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (chunk, ...rest) {
  const written = write.call(this, chunk, ...rest);
  if (!Buffer.isBuffer(chunk)) return written;
  if (afterMark > 0 && chunk.includes("SET status = 'sent'") && ++marks === afterMark) process.kill(process.pid, 'SIGKILL');
  if (afterClaim > 0 && chunk.includes("SET status = 'sending'") && ++claims === afterClaim) claimedOn = this;
  if (claimedOn === this && chunk.includes('COMMIT')) process.kill(process.pid, 'SIGKILL');
  return written;
};
