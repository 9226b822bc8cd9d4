/**
 * Scenario descriptions are markdown from files anyone may have written: rendered with
 * marked, then sanitised with DOMPurify (no scripts, no event handlers, no javascript: URLs)
 * before React inserts them. Links open in a new tab without access to this page.
 */
import { useMemo } from 'react';
import type { JSX } from 'react';
import { marked } from 'marked';
import DOMPurify from 'dompurify';

let hooked = false;
function purify(html: string): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
    hooked = true;
  }
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed', 'img', 'svg', 'math'],
    FORBID_ATTR: ['style'],
  });
}

export function renderMarkdown(text: string): string {
  const html = marked.parse(text.slice(0, 20_000), { async: false, gfm: true, breaks: false });
  return purify(html);
}

/** The first paragraph of a markdown text as plain text (for one-line summaries). */
export function plainSummary(text: string): string {
  const paragraphs = text.slice(0, 5000).split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p && !p.startsWith('#'));
  return (paragraphs[0] ?? '').replace(/[*_`>#]/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').slice(0, 300);
}

export function Markdown({ text, className }: { text: string; className?: string }): JSX.Element {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Sanitised by DOMPurify just above: the only place the app inserts HTML.
  return <div className={`markdown ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
