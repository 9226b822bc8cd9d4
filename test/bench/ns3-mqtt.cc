// The benchmark's workload in ns-3 (Debian libns3-dev 3.37), for `npm run bench`'s peer line.
//
// N clients, each on its own point-to-point link (10 ms one way, 100 Mb/s) to its own broker
// node (full ns-3 TCP/IP: IPv4, TcpSocketBase with ns-3's default NewReno, delayed ACKs); a
// client connects at its seeded time in the first 60 s (the same splitmix32 stagger as
// test/bench/scenario.ts), sends a 14-byte CONNECT, the broker answers with a 4-byte CONNACK,
// then every 60 s the client sends a 2-byte request (PINGREQ) and the broker answers with 2
// bytes (PINGRESP), for one simulated hour. One broker node per client keeps ns-3's routing
// trivial (every peer is on-link); all clients on one broker node took ~40x longer when
// measured (issue 14). Prints one JSON line: clients, events (ns-3's scheduler events),
// replies received, wall seconds of Simulator::Run.
//
// Build: g++ -O2 -std=c++17 ns3-mqtt.cc $(pkg-config --cflags --libs ns3-...) (run.ts does it).
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace ns3;

static uint64_t g_replies = 0;
static const uint16_t PORT = 1883;

static std::vector<uint32_t> Stagger(uint32_t n) {
  uint32_t s = 1;
  std::vector<uint32_t> out(n);
  for (uint32_t i = 0; i < n; i++) {
    s += 0x9e3779b9u;
    uint32_t z = s;
    z = (z ^ (z >> 16)) * 0x85ebca6bu;
    z = (z ^ (z >> 13)) * 0xc2b2ae35u;
    out[i] = (z ^ (z >> 16)) % 60000u;
  }
  return out;
}

/** The broker side: CONNACK (4 bytes) for the 14-byte CONNECT, 2 bytes for each 2-byte request. */
static void BrokerRecv(Ptr<Socket> s) {
  Ptr<Packet> p;
  while ((p = s->Recv())) {
    uint32_t n = p->GetSize();
    if (n >= 14) s->Send(Create<Packet>(4));
    else s->Send(Create<Packet>(2));
  }
}

static void BrokerAccept(Ptr<Socket> s, const Address &) { s->SetRecvCallback(MakeCallback(&BrokerRecv)); }
static bool BrokerRequest(Ptr<Socket>, const Address &) { return true; }

static void ClientPing(Ptr<Socket> s) {
  s->Send(Create<Packet>(2));
  Simulator::Schedule(Seconds(60), &ClientPing, s);
}

static void ClientRecv(Ptr<Socket> s) {
  Ptr<Packet> p;
  while ((p = s->Recv())) g_replies++;
}

static void ClientConnected(Ptr<Socket> s) {
  s->SetRecvCallback(MakeCallback(&ClientRecv));
  s->Send(Create<Packet>(14));
  Simulator::Schedule(Seconds(60), &ClientPing, s);
}

static void ClientFailed(Ptr<Socket>) { std::fprintf(stderr, "connect failed\n"); }

static void ClientStart(Ptr<Node> node, Ipv4Address broker) {
  Ptr<Socket> s = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
  s->SetConnectCallback(MakeCallback(&ClientConnected), MakeCallback(&ClientFailed));
  s->Connect(InetSocketAddress(broker, PORT));
}

int main(int argc, char **argv) {
  uint32_t n = argc > 1 ? std::atoi(argv[1]) : 1000;
  double hour = 3600;
  std::vector<uint32_t> at = Stagger(n);

  NodeContainer clients, brokers;
  clients.Create(n);
  brokers.Create(n);
  InternetStackHelper stack;
  stack.Install(clients);
  stack.Install(brokers);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
  p2p.SetChannelAttribute("Delay", StringValue("10ms"));
  Ipv4AddressHelper ip;
  ip.SetBase("10.0.0.0", "255.255.255.252");
  for (uint32_t i = 0; i < n; i++) {
    NetDeviceContainer d = p2p.Install(clients.Get(i), brokers.Get(i));
    Ipv4InterfaceContainer ifs = ip.Assign(d);
    ip.NewNetwork();
    Ptr<Socket> listen = Socket::CreateSocket(brokers.Get(i), TcpSocketFactory::GetTypeId());
    listen->Bind(InetSocketAddress(Ipv4Address::GetAny(), PORT));
    listen->Listen();
    listen->SetAcceptCallback(MakeCallback(&BrokerRequest), MakeCallback(&BrokerAccept));
    Simulator::Schedule(MilliSeconds(at[i]), &ClientStart, clients.Get(i), ifs.GetAddress(1));
  }
  Simulator::Stop(Seconds(hour));
  auto t0 = std::chrono::steady_clock::now();
  Simulator::Run();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  uint64_t events = Simulator::GetEventCount();
  Simulator::Destroy();
  std::printf("{\"clients\":%u,\"events\":%llu,\"replies\":%llu,\"wallSeconds\":%.3f}\n", n,
              (unsigned long long)events, (unsigned long long)g_replies, wall);
  return 0;
}
