import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server for the dispatch benchmark, in its own process: it accepts every message, reads
 * it to the end, counts it and keeps nothing.
 *   node smtp-sink.js <smtp port> <http port>     (GET http://127.0.0.1:<http port>/ answers the count)
 */
const [smtpPort, httpPort] = process.argv.slice(2).map(Number);
let received = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  disableReverseLookup: true,
  logger: false,
  size: 50 * 1024 * 1024,
  onData: (stream, _session, callback) => {
    stream.on('end', () => {
      received++;
      callback();
    });
    stream.resume();
  },
});
smtp.listen(smtpPort, '127.0.0.1');
createServer((_req, res) => res.end(String(received))).listen(httpPort, '127.0.0.1');
