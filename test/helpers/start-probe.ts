/**
 * Run in a project copy (`npx tsx test/helpers/start-probe.ts`, see invalid-contract.test.ts): starts
 * Switchboard in this process as `npm start` does, demo upstreams included, on free ports. When the
 * start fails, prints its message and how many servers still listen, as one JSON line on stdout, and
 * then ends without process.exit: it ends only once nothing is left open (a socket, a timer, a server).
 */
import { startSwitchboard } from '../../demo/launch.js';

try {
  const switchboard = await startSwitchboard({ ...process.env, PORT: '0' });
  console.log(JSON.stringify({ started: switchboard.url }));
  await switchboard.close();
} catch (error) {
  // A closed server's handle leaves the list in the event loop's close phase, after its close
  // callback ran: a timer runs after that phase, where setImmediate would run before it.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const listening = process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;
  console.log(JSON.stringify({ error: (error as Error).message, listening }));
}
