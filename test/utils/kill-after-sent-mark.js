// Loaded with `node -r` into a reminder pass (test/e2e/read-replicas.e2e-spec.ts): the process SIGKILLs itself
// right after writing its Nth 'sent' mark to PostgreSQL's socket (KILL_AFTER_SENT_MARK=N), before PostgreSQL
// can have answered — the outbox's claim that a mark once written is not undone by the sender's death.
const net = require('node:net');

const after = Number(process.env.KILL_AFTER_SENT_MARK);
let marks = 0;
const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (chunk, ...rest) {
  const written = write.call(this, chunk, ...rest);
  if (after > 0 && Buffer.isBuffer(chunk) && chunk.includes("SET status = 'sent'") && ++marks === after) process.kill(process.pid, 'SIGKILL');
  return written;
};
