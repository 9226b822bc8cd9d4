// aedes 1.2.0 in its own Node process, like a real deployment: the harness's event loop
// cannot delay its keep-alive timers. Prints {"port":N} on stdout once listening; exits on SIGTERM.
import net from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker();
const server = net.createServer(broker.handle);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  broker.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
});
