/**
 * What the kernel suite needs from the machine. Under CI=true anything missing is a failure;
 * elsewhere the suite skips loudly and says what is missing.
 */
import { spawnSync } from 'node:child_process';
import { findMosquitto } from './brokers.ts';

const ok = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0;
};

export function missingCapabilities(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces, nft and sysctls need it)');
  if (!ok('ip', ['netns', 'list'])) missing.push('`ip netns` (Debian package iproute2)');
  if (!ok('nft', ['--version'])) missing.push('nft (Debian package nftables)');
  if (!ok('tshark', ['--version']) || !ok('dumpcap', ['--version'])) missing.push('tshark and dumpcap (Debian package tshark)');
  if (!ok('chrt', ['--version'])) missing.push('chrt (util-linux)');
  if (findMosquitto() === null) missing.push('mosquitto (Debian package mosquitto)');
  if (!ok('/usr/bin/python3', ['-c', 'import paho.mqtt'])) missing.push('Paho Python (Debian package python3-paho-mqtt)');
  if (missing.length === 0) {
    // A namespace we can really make (containers without CAP_SYS_ADMIN fail here).
    const name = `ho-${process.pid}-probe`;
    if (!ok('ip', ['netns', 'add', name])) missing.push('permission to create network namespaces');
    else spawnSync('ip', ['netns', 'del', name]);
  }
  return missing;
}
