// One onnxruntime session on a worker thread (plain JavaScript: worker threads do not inherit the
// TypeScript loader). Inference runs here, never on the main thread, so a worker's queue locks and
// a server's requests are never starved while a batch computes.
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';

let session;
try {
  session = await ort.InferenceSession.create(workerData.path, workerData.options);
  parentPort.postMessage({ type: 'ready', inputNames: session.inputNames, outputNames: session.outputNames });
} catch (err) {
  parentPort.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}

parentPort.on('message', ({ id, feeds, fetch, crash }) => {
  // The fault tests' crash (SessionPool.killThread): an uncaught error ends this thread.
  if (crash) throw new Error('session thread crashed on request');
  void runBatch(id, feeds, fetch);
});

async function runBatch(id, feeds, fetch) {
  try {
    const tensors = {};
    for (const [name, feed] of Object.entries(feeds)) tensors[name] = new ort.Tensor(feed.type, feed.data, feed.dims);
    const output = (await session.run(tensors, [fetch]))[fetch];
    parentPort.postMessage({ id, data: output.data, dims: output.dims });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
}
