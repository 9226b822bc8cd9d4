// One scenario client (or the Will watcher) as a real MQTT.js 5.16 process inside its host's
// namespace. Config: one JSON argument (MQTT.js options plus `host`, `port`, `subscriptions`).
// Commands on stdin, one JSON object a line: {"cmd":"connect"}, {"cmd":"publish",topic,payload,
// qos,retain}, {"cmd":"disconnect",reasonCode?}, {"cmd":"end"}.
// Events on stdout, one JSON object a line, each with `t`: wall-clock ms (CLOCK_REALTIME, µs
// resolution), the clock tshark stamps frames with.
import mqtt from 'mqtt';

const cfg = JSON.parse(process.argv[2]);
const now = () => performance.timeOrigin + performance.now();
const emit = (ev, extra = {}) => process.stdout.write(`${JSON.stringify({ t: now(), ev, ...extra })}\n`);

let client = null;

// Warm-up: MQTT.js loads parts of itself on the first connect; do that now (a client that
// never connects), so that a scenario's connect puts its SYN on the wire at once.
const warm = mqtt.connect({ host: cfg.host, port: cfg.port, manualConnect: true, reconnectPeriod: 0 });
void warm;

function connect() {
  if (client) { client.end(true); client = null; }
  const opts = { ...cfg.options };
  if (opts.will && typeof opts.will.payload === 'string') opts.will.payload = Buffer.from(opts.will.payload);
  const c = mqtt.connect({ host: cfg.host, port: cfg.port, ...opts });
  client = c;
  c.on('connect', (connack) => {
    emit('connect', { sessionPresent: connack.sessionPresent, returnCode: connack.returnCode ?? connack.reasonCode ?? 0 });
    for (const s of cfg.subscriptions ?? []) c.subscribe(s.topic, { qos: s.qos ?? 0 });
  });
  c.on('reconnect', () => emit('reconnect'));
  c.on('close', () => emit('close'));
  c.on('offline', () => emit('offline'));
  c.on('end', () => emit('end'));
  c.on('error', (err) => emit('error', { message: err.message, code: err.code ?? null }));
  c.on('message', (topic, payload, packet) => emit('message', { topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain }));
  c.on('packetsend', (p) => emit('packetsend', { cmd: p.cmd, messageId: p.messageId ?? null }));
  c.on('packetreceive', (p) => emit('packetreceive', { cmd: p.cmd, messageId: p.messageId ?? null }));
}

let buf = '';
process.stdin.on('data', (d) => {
  buf += d.toString();
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    if (!line.trim()) continue;
    const m = JSON.parse(line);
    switch (m.cmd) {
      case 'connect': connect(); break;
      case 'publish':
        client?.publish(m.topic, m.payload, { qos: m.qos ?? 0, retain: m.retain ?? false });
        emit('publish', { topic: m.topic, qos: m.qos ?? 0 });
        break;
      case 'disconnect':
        client?.end(false, m.reasonCode !== undefined ? { reasonCode: m.reasonCode } : {});
        client = null;
        break;
      case 'end':
        client?.end(true);
        process.exit(0);
        break;
      default: emit('bad-command', { line });
    }
  }
});
process.stdin.on('end', () => process.exit(0));
emit('ready', { pid: process.pid });
