/**
 * What a server allocates, and where: loaded into a server under test by `npm run bench --
 * --allocations <dir>` (`node --import`), it runs V8's sampling heap profiler keeping the objects the
 * collector has freed too (a request's garbage is what the collector spends its time on), and writes
 * `<dir>/<pid>.heapprofile` when the bench stops the server. `bench/profile.ts` reads it as it reads a
 * CPU profile, in bytes allocated instead of time.
 *
 *   npm run bench -- --quick --workloads W1-vars --targets switchboard --allocations /tmp/alloc
 *   npx tsx bench/profile.ts /tmp/alloc/*.heapprofile
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const dir = process.env.ALLOCATION_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  // One sample per 16 KB allocated on average: cheap enough to leave the figures near what they are.
  session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // A session on the main thread answers at once, within this call.
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${dir}/${process.pid}.heapprofile`, JSON.stringify(result.profile));
    });
  };
  // Written on the signal that stops the server, which then goes on as it would have without this.
  for (const signal of ['SIGTERM', 'SIGINT']) {
    const onSignal = () => {
      write();
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.prependListener(signal, onSignal);
  }
  process.on('exit', write);
}
