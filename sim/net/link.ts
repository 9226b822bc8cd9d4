/**
 * A link between a client and the broker, one state per direction, and its optional NAT.
 *
 * Per direction: one-way latency, jitter (uniform integer µs in [0, jitter], so segments may
 * be reordered), loss probability and a cut flag, with its own rng stream
 * `link:<from>-><to>` (loss drawn first, then jitter, each only when non-zero).
 * NAT: a middlebox keeps one flow per connection; a flow is forgotten after
 * natIdleTimeoutMs without a segment in either direction, after which the connection's
 * segments are silently dropped until a SYN creates a new flow (behaviour.md §5.5;
 * RFC 5382 REQ-5 asks for ≥ 2 h 4 min, many middleboxes use 30 s – 5 min).
 * A link may instead carry a TCP-terminating proxy that closes idle flows (proxy.ts).
 * Left out: bandwidth and queueing, ICMP, NAT port rewriting (captures show the inside ports).
 */
import type { Engine, Rng, Timer } from '../engine/types.ts';
import type { ResolvedLink } from '../scenario/types.ts';
import type { Segment } from '../tcp/segment.ts';
import { Proxy } from './proxy.ts';
import { RefusingEmptyMap, shared } from '../empty-map.ts';

export class LinkDir {
  latencyUs: number;
  jitterUs: number;
  loss: number;
  cut = false;
  /**
   * No NAT and no proxy on its link: the network's per-segment path reads only this object
   * (10,000 devices are 10,000 links; one object less to fetch per segment is measurable).
   */
  plain = true;
  readonly rng: Rng;
  constructor(readonly link: Link, readonly from: string, readonly to: string, cfg: ResolvedLink, engine: Engine) {
    this.latencyUs = Math.round(cfg.latencyMs * 1000);
    this.jitterUs = Math.round(cfg.jitterMs * 1000);
    this.loss = cfg.loss;
    this.rng = engine.rng(`link:${from}->${to}`);
  }
}

export interface NatFlow {
  readonly conn: string;
  readonly timer: Timer;
}

/**
 * The flow table of a link without NAT: always empty (natPass is only called on NAT links),
 * shared, so that 100,000 plain links do not each hold an empty Map (~180 bytes).
 */
const NO_FLOWS = shared<string, NatFlow>(new RefusingEmptyMap('a link without NAT keeps no flows'));

export class Link {
  /** between[0] → between[1], and back. */
  readonly ab: LinkDir;
  readonly ba: LinkDir;
  readonly natIdleUs: number | null;
  /** NAT flows by connection (NO_FLOWS on a link without NAT). */
  readonly flows: Map<string, NatFlow>;
  readonly pair: [string, string];
  /** A TCP-terminating proxy that closes idle flows (proxy.ts), or null. */
  readonly proxy: Proxy | null;

  constructor(cfg: ResolvedLink, private readonly engine: Engine, sendLater: (seg: Segment, delayUs: number) => void) {
    this.pair = [cfg.between[0], cfg.between[1]];
    this.ab = new LinkDir(this, cfg.between[0], cfg.between[1], cfg, engine);
    this.ba = new LinkDir(this, cfg.between[1], cfg.between[0], cfg, engine);
    this.natIdleUs = cfg.natIdleTimeoutMs === null ? null : Math.round(cfg.natIdleTimeoutMs * 1000);
    this.flows = this.natIdleUs === null ? NO_FLOWS : new Map();
    const idleMs = cfg.proxyIdleTimeoutMs ?? null;
    const close = cfg.proxyClose ?? 'fin';
    this.proxy = idleMs === null ? null : new Proxy(Math.round(idleMs * 1000), close, {
      engine, sendLater,
      timedOut: (conn) => engine.emit({
        kind: 'proxy.timeout', link: [this.pair[0], this.pair[1]], conn, close,
        why: `no data either way on this flow for ${idleMs} ms (proxyIdleTimeoutMs): the proxy ends it and closes both sides ` +
          (close === 'fin' ? 'with FIN' : close === 'rst' ? 'with RST' : '(FIN to the client, RST to the broker)'),
      }),
    });
    this.ab.plain = this.ba.plain = this.natIdleUs === null && this.proxy === null;
  }

  /**
   * Action `nat-flush`: the NAT (or a stateful load balancer that translates, not terminates)
   * loses every flow at once, as after a reboot, a failover to a standby without state sync or
   * `conntrack -F`; each flow ends as at its idle expiry, in the order they were created.
   */
  natFlush(): void {
    for (const f of [...this.flows.values()]) {
      f.timer.clear();
      this.flows.delete(f.conn);
      this.engine.emit({
        kind: 'nat.expired', link: [this.pair[0], this.pair[1]], conn: f.conn,
        why: 'nat-flush: the middlebox lost all its flows at once (a reboot, a failover without state sync, conntrack -F)',
      });
    }
  }

  /**
   * The middlebox sees a segment of `conn`: true if it passes (and refreshes the flow's idle
   * timer), false if the flow is unknown and the segment is no SYN.
   */
  natPass(conn: string, syn: boolean): boolean {
    const idle = this.natIdleUs!;
    let flow = this.flows.get(conn);
    if (flow === undefined) {
      if (!syn) return false;
      const timer = this.engine.timer(() => this.expire(conn));
      flow = { conn, timer };
      this.flows.set(conn, flow);
    }
    flow.timer.set(this.engine.now() + idle);
    return true;
  }

  private expire(conn: string): void {
    this.flows.delete(conn);
    this.engine.emit({
      kind: 'nat.expired', link: [this.pair[0], this.pair[1]], conn,
      why: `NAT flow idle for ${this.natIdleUs! / 1000} ms (natIdleTimeoutMs): the middlebox forgot it`,
    });
  }
}
