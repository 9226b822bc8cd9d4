"""Floor reference for `npm run bench`: SimPy 2 (Debian python3-simpy 2.3.1, classic API).

N processes, each starting at a seeded time in the first 60 s and then doing
`yield hold, self, 60` (one event per keep-alive ping) until one simulated hour.
Prints one JSON line: {"clients", "events", "wallSeconds"}.
Run with /usr/bin/python3 (Debian's python sees dist-packages).
"""
import json
import random
import sys
import time

from SimPy.Simulation import Process, Simulation, hold

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
HOUR = 3600.0
KA = 60.0
events = 0


class Client(Process):
    def run(self):
        global events
        while True:
            events += 1
            yield hold, self, KA


sim = Simulation()
sim.initialize()
rng = random.Random(1)
for i in range(N):
    p = Client(name="c%d" % i, sim=sim)
    sim.activate(p, p.run(), at=rng.randrange(60000) / 1000.0)

t0 = time.perf_counter()
sim.simulate(until=HOUR)
t1 = time.perf_counter()
print(json.dumps({"clients": N, "events": events, "wallSeconds": t1 - t0}))
