import { Logger, OnModuleDestroy } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { ProblemException } from '../problem';

/** The longest a file may take; a unit's whole year of 5,000 rows takes a few seconds (README). */
const RENDER_TIMEOUT_MS = 120_000;
/** Files waiting for the worker; beyond this a request is told to come back (503) rather than queue for minutes. */
const MAX_WAITING = 16;

/**
 * The worker's program. It loads the writers (compiled JavaScript in production; TypeScript through
 * ts-node where the service itself runs from TypeScript, as in the tests) and writes one file at a time.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.tsNode) require(workerData.tsNode).register({ transpileOnly: true });
const write = require(workerData.writers)[workerData.write];
let queue = Promise.resolve();
parentPort.on('message', ({ id, input, format }) => {
  queue = queue.then(() => write(input, format)).then(
    (buffer) => parentPort.postMessage({ id, file: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) }),
    (error) => parentPort.postMessage({ id, error: String((error && error.stack) || error) }),
  );
});`;

interface Job {
  resolve(file: Buffer): void;
  reject(error: Error): void;
}

/** What the renderer writes, in the words of its refusals. */
export interface DocumentKind {
  /** Absolute path of the module (without extension) whose `write` export writes a file. */
  writers: string;
  write: string;
  /** "Many year plans are being written right now" */
  busy: string;
  /** "Writing the year plan took longer than 120 s: try again later, or print one wheel at a time." */
  tooSlow: (seconds: number) => string;
}

/**
 * Writes files in a worker thread. Laying out a PDF (pdfmake) or packing a DOCX or XLSX is synchronous
 * work of seconds for a large unit's year; in the request's own thread it would hold every other request
 * up (invariant 9). One long-lived worker per kind of document, files one at a time, a short queue in front.
 */
export abstract class DocumentRenderer<Input, Format extends string> implements OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private worker?: Worker;
  private nextId = 0;
  private readonly jobs = new Map<number, Job>();

  protected constructor(private readonly kind: DocumentKind) {}

  render(input: Input, format: Format): Promise<Buffer> {
    if (this.jobs.size >= MAX_WAITING) {
      return Promise.reject(new ProblemException(503, 'busy', 'Opptatt', `${this.kind.busy}: try again in a minute.`));
    }
    const worker = this.worker ?? this.start();
    const id = ++this.nextId;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => this.stop(new ProblemException(503, 'busy', 'Opptatt', this.kind.tooSlow(RENDER_TIMEOUT_MS / 1000))), RENDER_TIMEOUT_MS);
      this.jobs.set(id, {
        resolve: (file) => (clearTimeout(timer), resolve(file)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      worker.postMessage({ id, input, format });
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop(new Error('The service is shutting down'));
  }

  private start(): Worker {
    const typescript = __filename.endsWith('.ts');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { writers: this.kind.writers, write: this.kind.write, tsNode: typescript ? require.resolve('ts-node') : null },
    });
    worker.unref(); // an idle worker never keeps the process alive
    worker.on('message', ({ id, file, error }: { id: number; file?: Uint8Array; error?: string }) => {
      const job = this.jobs.get(id);
      this.jobs.delete(id);
      if (!job) return;
      if (file) job.resolve(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
      else job.reject(new Error(`Writing a file failed: ${error}`));
    });
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`The document worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** The worker died: every file it held fails, and the next request starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.jobs.size) this.logger.error({ err: error }, 'The document worker failed');
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
  }

  private async stop(error: Error): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.fail(worker, error);
    await worker.terminate();
  }
}
