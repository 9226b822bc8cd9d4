// aedes 1.2.0 as its own Node process inside the broker host's namespace, listening on
// 0.0.0.0:1883. Prints JSON lines with wall-clock `t` (ms, CLOCK_REALTIME): {"ev":"listening"}
// once it accepts, then what aedes itself reports (client, clientDisconnect, keepaliveTimeout,
// clientError, connectionError, publish of a Will). On SIGTERM: server.close() and aedes.close()
// (every client closed in turn, lib/client.js close), then exits; the broker profile's `stop`
// (sim/profiles/broker-profiles.ts) models exactly this, checked by experiments/broker-stop-aedes.
import net from 'node:net';
import { Aedes } from 'aedes';

const port = Number(process.argv[2] ?? 1883);
const now = () => performance.timeOrigin + performance.now();
const emit = (ev, extra = {}) => process.stdout.write(`${JSON.stringify({ t: now(), ev, ...extra })}\n`);

const broker = await Aedes.createBroker();
broker.on('client', (c) => emit('client', { clientId: c.id }));
broker.on('clientReady', (c) => emit('clientReady', { clientId: c.id }));
broker.on('clientDisconnect', (c) => emit('clientDisconnect', { clientId: c.id }));
broker.on('keepaliveTimeout', (c) => emit('keepaliveTimeout', { clientId: c.id }));
broker.on('clientError', (c, err) => emit('clientError', { clientId: c?.id ?? null, message: err.message }));
broker.on('connectionError', (c, err) => emit('connectionError', { clientId: c?.id ?? null, message: err.message }));
broker.on('publish', (p, c) => { if (c && p.topic.startsWith('status/')) emit('publish', { clientId: c.id, topic: p.topic }); });
const server = net.createServer(broker.handle);
server.listen(port, '0.0.0.0', () => emit('listening', { port }));
process.on('SIGTERM', () => {
  server.close();
  broker.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
});
