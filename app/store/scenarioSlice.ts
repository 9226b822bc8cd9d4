/**
 * The scenario slice: the document. Edits are validated with parseScenario as they are made;
 * a valid edit becomes the scenario and re-runs the simulation, an invalid one stays a draft
 * with its problems (paths included) and the last valid scenario keeps playing.
 * Injecting a fault appends a timed action at floor(cursorMs) and re-runs: the simulator is
 * deterministic, so everything before the cursor stays exactly as it was.
 */
import type { StateCreator } from 'zustand';
import { parseScenario, parseScenarioText } from '../../sim/index.ts';
import type { Action, ClientSpec, Problem, Scenario } from '../../sim/index.ts';
import { decodeSharePayload } from '../share/shareLink.ts';
import { tooLargeForApp } from '../model/estimate.ts';
import type { SimRunner } from '../worker/runner.ts';
import { loadCopy, saveCopy, sameDocument, SET_ASIDE_KEY, WORKING_KEY, copyName } from './workingCopy.ts';
import type { WorkingCopy } from './workingCopy.ts';
import type { AppState, ImportResult, ScenarioSlice } from './types.ts';

/** A client group of 1,000 devices or more: such a file is parsed in the worker, however short. */
const LARGE_GROUP = /"count"\s*:\s*\d{4,}/;
/** Texts longer than this are parsed in the worker (a 10 MiB file takes seconds to parse). */
export const PARSE_IN_WORKER_CHARS = 100_000;

/** JSON round trip: drops keys set to undefined (a cleared field), copies deeply. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function problemsText(n: number): string {
  return n === 1 ? '1 problem' : `${n} problems`;
}

export function createScenarioSlice(initial: Scenario, runner?: SimRunner): StateCreator<AppState, [], [], ScenarioSlice> {
  return (set, get) => {
    /** Validates an edited scenario; applies it when valid, keeps it as a draft otherwise. */
    const applyEdit = (edit: (draft: Scenario) => void): void => {
      const candidate = plain(get().draft ?? get().scenario);
      edit(candidate);
      const cleaned = plain(candidate);
      const parsed = parseScenario(cleaned);
      const tooLarge = parsed.ok ? tooLargeForApp(parsed.scenario) : null;
      if (parsed.ok && tooLarge) {
        set({ draft: cleaned, draftProblems: [{ path: '(scenario)', message: tooLarge }], edited: true });
      } else if (parsed.ok) {
        set({ scenario: parsed.scenario, draft: null, draftProblems: [], edited: true });
        void get().rerun();
      } else {
        set({ draft: cleaned, draftProblems: parsed.problems, edited: true });
      }
    };

    const refuse = (what: string, problems: ImportResult & { ok: false }): ImportResult => {
      get().showMessage({ tone: 'error', text: what, problems: problems.problems });
      return problems;
    };

    const refuseFile = (problems: Problem[]): ImportResult => {
      const message = `Import refused: the file has ${problemsText(problems.length)}. ` +
        'The current scenario is unchanged.';
      return refuse(message, { ok: false, problems, message });
    };

    const refuseTooLarge = (why: string): ImportResult => {
      const message = `Import refused: ${why} The current scenario is unchanged.`;
      return refuse(message, { ok: false, problems: [], message });
    };

    return {
      scenario: initial,
      scenarioSource: 'built-in default',
      edited: false,
      setAside: null,
      draft: null,
      draftProblems: [],
      gallery: [],

      loadScenario(scenario, source) {
        // Edits on screen are never dropped without a word: they are set aside (in this
        // browser's storage), and the page offers them back.
        const { edited } = get();
        if (edited) {
          const copy = get().workingCopy();
          if (!sameDocument(copy, scenario)) {
            saveCopy(SET_ASIDE_KEY, copy);
            set({ setAside: { name: copyName(copy) } });
          }
          saveCopy(WORKING_KEY, null);
        }
        set({
          edited: false,
          scenario, scenarioSource: source, draft: null, draftProblems: [],
          cursorMs: 0, cursorSeq: -1, playing: false, selectedSeq: null, selectedLink: null,
          selectedNode: scenario.broker.id,
          durationMs: scenario.durationMs,
          // The previous scenario's results never show under this one's name.
          trace: [], ndjson: '', summary: null, expectations: [], resolved: null, fleet: null, runMessage: null,
          derived: null, cursorWorld: null,
        });
        void get().rerun();
      },

      importScenario(text, source = 'imported file') {
        const parsed = parseScenarioText(text);
        if (!parsed.ok) return refuseFile(parsed.problems);
        const tooLarge = tooLargeForApp(parsed.scenario);
        if (tooLarge) return refuseTooLarge(tooLarge);
        get().loadScenario(parsed.scenario, source);
        get().showMessage({ tone: 'info', text: `Loaded “${parsed.scenario.name}” (${source}).` });
        return { ok: true };
      },

      async importFile(file, source) {
        const size = typeof file === 'string' ? file.length : file.size;
        let small: string | null = null;
        if (!runner?.parse || size <= PARSE_IN_WORKER_CHARS) {
          let text: string;
          try { text = typeof file === 'string' ? file : await file.text(); } catch {
            const message = `Import refused: ${source} could not be read. The current scenario is unchanged.`;
            return refuse(message, { ok: false, problems: [], message });
          }
          // A short file can still name 100,000 devices, and checking that every member's id is
          // unique takes the validator ~0.3 s per 100,000 (seconds on a busy machine): a file
          // with a group of thousands is parsed in the worker too.
          if (!runner?.parse || !LARGE_GROUP.test(text)) return get().importScenario(text, source);
          small = text;
        }
        get().showMessage({ tone: 'info', text: `Reading ${source}…` });
        const outcome = await runner.parse(small ?? file);
        if (!outcome.ok) return outcome.tooLarge ? refuseTooLarge(outcome.tooLarge) : refuseFile(outcome.problems);
        get().loadScenario(outcome.scenario, source);
        get().showMessage({ tone: 'info', text: `Loaded “${outcome.scenario.name}” (${source}).` });
        return { ok: true };
      },

      importShareLink(payload) {
        const decoded = decodeSharePayload(payload);
        if (!decoded.ok) {
          const message = `Share link refused. ${decoded.message}`;
          return refuse(message, { ok: false, problems: [], message });
        }
        const parsed = parseScenarioText(decoded.json);
        if (!parsed.ok) {
          const message = `Share link refused: its scenario has ${problemsText(parsed.problems.length)}.`;
          return refuse(message, { ok: false, problems: parsed.problems, message });
        }
        const tooLarge = tooLargeForApp(parsed.scenario);
        if (tooLarge) {
          const message = `Share link not opened: ${tooLarge} The current scenario is unchanged.`;
          return refuse(message, { ok: false, problems: [], message });
        }
        get().loadScenario(parsed.scenario, 'share link');
        get().showMessage({ tone: 'info', text: `Opened “${parsed.scenario.name}” from a share link.` });
        return { ok: true };
      },

      setGallery(entries) { set({ gallery: entries }); },

      editSettings(patch) { applyEdit((d) => { Object.assign(d, patch); }); },

      editBroker(patch) { applyEdit((d) => { Object.assign(d.broker, patch); }); },

      editClient(index, patch) {
        applyEdit((d) => {
          const c = d.clients[index];
          if (c) Object.assign(c, patch);
        });
      },

      addClient() {
        applyEdit((d) => {
          const taken = new Set([d.broker.id, ...d.clients.map((c) => c.id)]);
          let n = d.clients.length + 1;
          while (taken.has(`client${n}`)) n++;
          const client: ClientSpec = { id: `client${n}`, keepAliveSeconds: 10 };
          d.clients.push(client);
        });
      },

      removeClient(index) {
        applyEdit((d) => {
          const removed = d.clients[index];
          if (!removed || d.clients.length <= 1) return;
          d.clients.splice(index, 1);
          d.links = d.links?.filter((l) => !l.between.includes(removed.id));
          d.actions = d.actions?.filter((a) => !('node' in a && a.node === removed.id) &&
            !('link' in a && a.link.includes(removed.id)));
        });
      },

      editLink(clientId, patch) {
        applyEdit((d) => {
          d.links ??= [];
          let link = d.links.find((l) => l.between.includes(clientId) && l.between.includes(d.broker.id));
          if (!link) {
            link = { between: [clientId, d.broker.id] };
            d.links.push(link);
          }
          Object.assign(link, patch);
          // An undefined value removes the key (the default applies), as in the file.
          for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (link as unknown as Record<string, unknown>)[k];
        });
      },

      editScenario(edit) { applyEdit(edit); },

      injectFault(fault) {
        const atMs = Math.floor(get().cursorMs);
        const action = { atMs, ...fault } as Action;
        const scenario = plain(get().scenario);
        scenario.actions = [...(scenario.actions ?? []), action];
        const parsed = parseScenario(scenario);
        if (!parsed.ok) {
          get().showMessage({ tone: 'error', text: 'That fault cannot be injected here.', problems: parsed.problems });
          return;
        }
        set({ scenario: parsed.scenario, draft: null, draftProblems: [], edited: true });
        void get().rerun();
      },

      removeAction(index) {
        const scenario = plain(get().scenario);
        if (!scenario.actions?.[index]) return;
        scenario.actions.splice(index, 1);
        if (scenario.actions.length === 0) delete scenario.actions;
        set({ scenario, draft: null, draftProblems: [], edited: true });
        void get().rerun();
      },

      discardDraft() { set({ draft: null, draftProblems: [] }); },

      workingCopy(): WorkingCopy {
        const { scenario, draft, scenarioSource } = get();
        return { scenario, draft, source: scenarioSource, savedAt: Date.now() };
      },

      restoreCopy(copy, notice) {
        const parsedDraft = copy.draft ? parseScenario(copy.draft) : null;
        set({
          scenario: copy.scenario, scenarioSource: copy.source, edited: true,
          draft: copy.draft, draftProblems: parsedDraft && !parsedDraft.ok ? parsedDraft.problems : [],
          cursorMs: 0, cursorSeq: -1, playing: false, selectedSeq: null, selectedLink: null,
          selectedNode: copy.scenario.broker.id,
          durationMs: copy.scenario.durationMs,
          trace: [], ndjson: '', summary: null, expectations: [], resolved: null, fleet: null, runMessage: null,
          derived: null, cursorWorld: null,
        });
        saveCopy(WORKING_KEY, copy);
        void get().rerun();
        if (notice) get().showMessage({ tone: 'info', text: notice });
      },

      restoreSetAside() {
        const aside = loadCopy(SET_ASIDE_KEY);
        set({ setAside: null });
        saveCopy(SET_ASIDE_KEY, null);
        if (!aside) {
          get().showMessage({ tone: 'error', text: 'The edits set aside could not be read back from this browser\'s storage.' });
          return;
        }
        if (get().edited) {
          // Swap: what is on screen now is set aside in turn.
          const current = get().workingCopy();
          saveCopy(SET_ASIDE_KEY, current);
          set({ setAside: { name: copyName(current) } });
        }
        get().restoreCopy(aside, `Restored your edits to “${copyName(aside)}”.`);
      },

      discardSetAside() {
        saveCopy(SET_ASIDE_KEY, null);
        set({ setAside: null });
      },
    };
  };
}
