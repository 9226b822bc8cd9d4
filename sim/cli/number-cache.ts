/**
 * Imported first by the command's entry (main.ts), before anything loads the codec: turns off
 * mqtt-packet's table of 65,536 pre-built two-byte buffers (writeToStream.js `generateCache`,
 * built on the first `generate` call). Building it costs ~0.1 s of CPU and ~6.5 MB, which a
 * short run never earns back; without it mqtt-packet writes each number into a fresh buffer
 * (numbers.js `generateNumber`), the same bytes.
 *
 * The switch is process-wide (every mqtt-packet in the realm, MQTT.js's included), so it is
 * thrown only here, in the command's own process, never in sim/ or the API (api.ts), whose
 * host may run MQTT.js beside it.
 */
import mqttPacket from 'mqtt-packet';

mqttPacket.writeToStream.cacheNumbers = false;
