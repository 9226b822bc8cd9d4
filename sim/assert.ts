/**
 * Assertions on the simulator's own state: a state and the fields that go with it must agree
 * (a dead socket has no armed timer and no state but CLOSED, a TIME-WAIT timer fires only in
 * TIME-WAIT or an orphan FIN-WAIT-2, a broker's keep-alive deadline fires only for a
 * connection it still holds). They sit where such a disagreement would show (a timer going
 * off, a state change), which is rare next to packets, so they cost nothing measurable and
 * are always on. A broken one is a simulator bug: runScenario turns it into an
 * InvariantViolation naming the seed and the trace event, like the trace invariants.
 */
export class ImpossibleState extends Error {
  constructor(readonly what: string, detail: string) {
    super(`${what}: ${detail}`);
    this.name = 'ImpossibleState';
  }
}

/** Throw ImpossibleState: `what` names the assertion (e.g. "tcp.timer-on-dead-socket"). */
export function impossible(what: string, detail: string): never {
  throw new ImpossibleState(what, detail);
}
