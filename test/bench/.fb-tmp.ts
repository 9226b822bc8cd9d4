import { fleetBrowser } from '/work/wt-fleetapp/test/bench/fleet-browser.ts';
const r = await fleetBrowser(Number(process.argv[2] ?? 1));
console.log(JSON.stringify(r));
