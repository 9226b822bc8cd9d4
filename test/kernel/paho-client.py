#!/usr/bin/python3
"""One scenario client with library "paho-python": Debian's python3-paho-mqtt (1.6.1), speaking
the same protocol as client.mjs. Config: one JSON argument {host, port, clientId, keepalive,
clean, will, subscriptions, reconnect: {minMs, maxMs} | null, userTimeoutMs?}. Commands on stdin (JSON lines):
connect, publish, disconnect, end. Events on stdout (JSON lines) with `t` = wall-clock ms
(CLOCK_REALTIME, the clock tshark uses).

The network loop is Paho's own: client.loop(timeout=1.0) over and over, which is what
loop_forever() does (select with a 1 s timeout, then loop_misc -> _check_keepalive), so the
keep-alive granularity is the library's. With `reconnect`, a lost connection is retried after
min, doubling up to max (reconnect_delay_set's defaults are 1 s and 120 s).

With `userTimeoutMs`, every socket Paho opens gets TCP_USER_TIMEOUT (setsockopt from Paho's own
on_socket_open hook, right after connect()); the value the kernel then reports (getsockopt) is
emitted as {"ev": "sockopt"}. When the kernel gives up (ETIMEDOUT), Paho 1.6.1 does not catch the
TimeoutError a recv raises (it catches ConnectionError only), so this program catches it around
its loop() and reports it as an error and a close, as Paho reports a lost connection.
"""
import errno
import json
import socket
import sys
import threading
import time

import paho.mqtt.client as mqtt

cfg = json.loads(sys.argv[1])
out_lock = threading.Lock()


def emit(ev, **extra):
    line = json.dumps({"t": time.time() * 1000.0, "ev": ev, **extra})
    with out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


client = mqtt.Client(client_id=cfg["clientId"], clean_session=cfg.get("clean", True), protocol=mqtt.MQTTv311)
will = cfg.get("will")
if will:
    client.will_set(will["topic"], will["payload"], qos=will.get("qos", 0), retain=will.get("retain", False))

state = {"running": False, "wanted": False}


def on_connect(c, userdata, flags, rc):
    state["closed"] = False
    emit("connect", sessionPresent=bool(flags.get("session present", 0)), returnCode=rc)
    for s in cfg.get("subscriptions", []):
        c.subscribe(s["topic"], qos=s.get("qos", 0))


def on_disconnect(c, userdata, rc):
    # Paho 1.6.1 reports one keep-alive close twice (from _check_keepalive, then from loop_misc).
    if state.get("closed"):
        return
    state["closed"] = True
    if rc == mqtt.MQTT_ERR_KEEPALIVE:
        emit("error", message="Keepalive timeout", code="MQTT_ERR_KEEPALIVE")
    emit("close", rc=rc)


def on_message(c, userdata, msg):
    emit("message", topic=msg.topic, payload=msg.payload.decode("utf-8", "replace"), qos=msg.qos, retain=msg.retain)


def on_socket_open(c, userdata, sock):
    ms = cfg.get("userTimeoutMs")
    if ms:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, int(ms))
        emit("sockopt", userTimeoutMs=sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT))


client.on_socket_open = on_socket_open
client.on_connect = on_connect
client.on_disconnect = on_disconnect
client.on_message = on_message


def network_loop():
    delay = None
    rec = cfg.get("reconnect")
    while state["wanted"]:
        try:
            rc = client.loop(timeout=1.0)
        except OSError as e:
            # The kernel gave up on the connection (TCP_USER_TIMEOUT / tcp_retries2: ETIMEDOUT).
            emit("error", message=str(e), code=errno.errorcode.get(e.errno, type(e).__name__))
            if not state.get("closed"):
                state["closed"] = True
                emit("close", rc=mqtt.MQTT_ERR_CONN_LOST)
            try:
                client._sock_close()
            except Exception:
                pass
            rc = mqtt.MQTT_ERR_CONN_LOST
        if rc == mqtt.MQTT_ERR_SUCCESS:
            continue
        if not state["wanted"]:
            break
        if rec is None:
            break
        delay = rec["minMs"] if delay is None else min(delay * 2, rec["maxMs"])
        time.sleep(delay / 1000.0)
        try:
            client.reconnect()
            delay = None
        except OSError as e:
            emit("error", message=str(e), code=type(e).__name__)
    state["running"] = False


def start():
    state["wanted"] = True
    try:
        client.connect(cfg["host"], cfg["port"], keepalive=cfg["keepalive"])
    except OSError as e:
        emit("error", message=str(e), code=type(e).__name__)
    if not state["running"]:
        state["running"] = True
        threading.Thread(target=network_loop, daemon=True).start()


import os
import paho.mqtt as _pm
emit("ready", pid=os.getpid(), version=getattr(_pm, "__version__", None))
for line in sys.stdin:
    if not line.strip():
        continue
    m = json.loads(line)
    cmd = m.get("cmd")
    if cmd == "connect":
        start()
    elif cmd == "publish":
        client.publish(m["topic"], m.get("payload", ""), qos=m.get("qos", 0), retain=m.get("retain", False))
        emit("publish", topic=m["topic"], qos=m.get("qos", 0))
    elif cmd == "disconnect":
        state["wanted"] = False
        client.disconnect()
    elif cmd == "end":
        break
    else:
        emit("bad-command", line=line)
sys.exit(0)
