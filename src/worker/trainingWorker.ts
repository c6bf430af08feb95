/**
 * worker_threads entry of the training worker (bundled to dist/trainingWorker.js): checks every
 * message from the host and hands it to a WorkerSession; unknown messages are reported to stderr
 * and ignored.
 */
import { parentPort } from 'node:worker_threads';
import { describeMessage } from '../protocol/guards';
import { isHostToWorker, WorkerToHost } from '../protocol/workerMessages';
import { engineHelperScript } from './engineHelperScript';
import { WorkerSession } from './workerSession';

const port = parentPort;
if (!port) throw new Error('trainingWorker must run in a worker thread');

const session = new WorkerSession((message: WorkerToHost) => port.postMessage(message), engineHelperScript());
port.on('message', (message: unknown) => {
  if (!isHostToWorker(message)) {
    console.error(`training worker: ignored ${describeMessage(message)} message`);
    return;
  }
  void session.handle(message);
});
