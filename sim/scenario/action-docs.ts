/**
 * Each timed action (`do`, ACTION_FIELDS in parse-actions.ts) in one short plain sentence: what
 * it does to the node or link, as the simulator carries it out (run.ts `applyAction`, and the
 * longer `why` it traces with the action, actionWhy). The app's fault menu shows these as its
 * hints, so the words about what a fault does live here, beside the rules, and nowhere else.
 * test/scenario/field-docs.test.ts checks that every action kind has one.
 */
export const ACTION_DOCS: Readonly<Record<string, string>> = {
  'power-off': 'the host loses power: it sends nothing, not even a FIN, and forgets its TCP state',
  'power-on': 'the host boots with no TCP state and starts its program again',
  crash: 'the process dies (SIGKILL): its kernel closes its sockets, so the peer sees a FIN',
  restart: 'the crashed or stopped process starts again on the same host',
  stop: 'the broker gets SIGTERM: one that handles it (mosquitto) sends the Wills it owes, saves its store if it keeps one and closes its connections; one that does not (aedes) dies as on a crash',
  connect: 'the client opens a connection and sends CONNECT now',
  disconnect: 'the client sends DISCONNECT and closes its connection: a clean goodbye, so no Will',
  cut: 'every segment on the link is silently dropped (in one direction or both); neither end is told',
  heal: 'the link carries segments again',
  'set-link': 'the link\'s latency, jitter or loss changes from now on',
  publish: 'the client publishes one message now',
  'nat-flush': 'the NAT on the link forgets every flow at once (as after a router reboot): segments of existing connections are dropped, the broker\'s answered with a reset',
  pause: 'the broker process is frozen (SIGSTOP): its kernel still completes handshakes and acknowledges data, but the broker reads and answers nothing',
  resume: 'the frozen broker process continues (SIGCONT) and catches up on what waited',
};
