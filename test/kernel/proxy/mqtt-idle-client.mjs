// A minimal MQTT 3.1.1 client for the proxy-idle experiment: CONNECT (K from argv), read
// CONNACK, then stay silent and report, as one JSON line, when the connection ended and how
// (end = FIN, error = RST). Times are wall-clock ms (Date.now() plus the sub-ms hrtime offset).
import net from 'node:net';

const [host, port, keepAlive, waitMs] = process.argv.slice(2);
const t0 = Date.now(); const h0 = process.hrtime.bigint();
const now = () => t0 + Number(process.hrtime.bigint() - h0) / 1e6;
const id = Buffer.from('sensor');
const k = Number(keepAlive);
// CONNECT: protocol "MQTT" level 4, flags: clean session; keep-alive; ClientId.
const body = Buffer.concat([Buffer.from([0, 4]), Buffer.from('MQTT'), Buffer.from([4, 2, k >> 8, k & 255, 0, id.length]), id]);
const connect = Buffer.concat([Buffer.from([0x10, body.length]), body]);
const out = { connackMs: null, endMs: null, errorMs: null, error: null };
const s = net.connect({ host, port: Number(port) }, () => s.write(connect));
s.on('data', (d) => { if (d[0] === 0x20 && out.connackMs === null) out.connackMs = now(); });
s.on('end', () => { out.endMs = now(); s.end(); });
s.on('error', (e) => { out.errorMs = now(); out.error = e.code; });
setTimeout(() => { console.log(JSON.stringify(out)); process.exit(0); }, Number(waitMs));
