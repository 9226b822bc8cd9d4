/**
 * The expectation badge as a disclosure: "2 of 4 expectations fail — why?" opens a list in the
 * page with each expectation and the checker's own message (what was expected, what the run
 * showed instead), so a failure is explained without a hover tooltip.
 */
import { useEffect, useState } from 'react';
import type { JSX } from 'react';
import type { ExpectationOutcome } from '../worker/protocol.ts';
import { openEditor } from './editorUi.ts';
import { useApp } from '../store/store.ts';

/** `expect[1]: will.published …: expected count 1, saw 0` → the part after `expect[1]: `. */
function withoutIndex(message: string): string {
  return message.replace(/^expect\[\d+\]:\s*/, '');
}

export function ExpectationBadge({ expectations }: { expectations: readonly ExpectationOutcome[] }): JSX.Element {
  const failed = expectations.filter((e) => !e.ok).length;
  const [open, setOpen] = useState(false);
  // A run whose expectations newly fail (other failures than before) opens the list: the
  // reason is the news. Not while the editor is open (it shows each verdict beside its
  // expectation); closing the editor with failures opens it. The same failures again leave it.
  const failures = expectations.filter((e) => !e.ok).map((e) => e.message).join('\n');
  const editing = useApp((s) => s.scenarioPanelOpen);
  useEffect(() => { if (failures && !editing) setOpen(true); }, [failures, editing]);
  useEffect(() => {
    if (!open) return;
    const close = (ev: KeyboardEvent) => { if (ev.key === 'Escape') setOpen(false); };
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [open]);
  const n = expectations.length;
  return (
    <div className="expect-anchor">
      <button type="button" className={`expect-badge ${failed ? 'bad' : 'good'}`} aria-expanded={open} aria-controls="expect-list"
        onClick={() => setOpen(!open)}>
        {failed ? `${failed} of ${n} expectations fail` : `${n} expectation${n === 1 ? '' : 's'} hold`}
        <span className="why-link">{open ? ' ▴' : failed ? ' — why?' : ' ▾'}</span>
      </button>
      {open && (
        <section id="expect-list" className="expect-list" aria-label="Expectations">
          <h2>Expectations on this run</h2>
          <ol>
            {expectations.map((e) => (
              <li key={e.index} className={e.ok ? 'ok' : 'bad'}>
                <strong>{e.ok ? 'Holds' : 'Fails'}</strong> (expect[{e.index}]): {withoutIndex(e.message)}
              </li>
            ))}
          </ol>
          <div className="expect-actions">
            <button type="button" onClick={() => { setOpen(false); openEditor(); }}>Edit the expectations</button>
            <button type="button" onClick={() => setOpen(false)}>Close</button>
          </div>
        </section>
      )}
    </div>
  );
}
