/**
 * Scenario descriptions are markdown from files and links anyone may have written: rendered
 * with marked, then sanitised with DOMPurify by an allow-list before React inserts them.
 *
 * The allow-list keeps only elements and attributes that load nothing: text, headings, lists,
 * emphasis, code, quotes, tables and links. No media (`img`, `audio`, `video`, `source`,
 * `track`, `picture`), no embedding (`iframe`, `object`, `embed`, `link`, `meta`, `base`),
 * no SVG or MathML (`image href`, `use`), no forms, no `style` (CSS `url()`), no `srcset`,
 * `background`, `poster`, `ping`, `formaction`. A link is the only URL left, and it is
 * followed only when clicked: in a new tab, without access to this page and without a
 * Referer (`rel="noopener noreferrer"`), and only to http(s), mailto or a fragment.
 * Raw HTML in the markdown is not markup at all: it shows as the text it is (so the sanitiser
 * never even parses a `<base>` or a `<style>`).
 * The built page also has a Content Security Policy that forbids loading from other origins
 * (vite.config.ts), so a sanitiser miss would still load nothing.
 */
import { useMemo } from 'react';
import type { JSX } from 'react';
import { Marked } from 'marked';
import DOMPurify from 'dompurify';

export const ALLOWED_TAGS: readonly string[] = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'em', 'strong', 'b', 'i', 's', 'del', 'ins',
  'code', 'pre', 'kbd', 'samp', 'sub', 'sup', 'mark', 'small', 'abbr', 'blockquote', 'q',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'span', 'div',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption',
];
/** `align` on table cells (marked writes it), `start` on ordered lists, `href`/`title` on links. */
export const ALLOWED_ATTR: readonly string[] = ['href', 'title', 'align', 'start'];
/** http(s), mailto and in-page fragments; everything else (javascript:, data:, //host) goes. */
const SAFE_URL = /^(?:https?:|mailto:|#)/i;

let hooked = false;
export function purify(html: string): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        const href = node.getAttribute('href');
        if (href !== null && !SAFE_URL.test(href.trim())) node.removeAttribute('href');
        if (node.hasAttribute('href')) {
          node.setAttribute('target', '_blank');
          node.setAttribute('rel', 'noopener noreferrer');
        }
      }
    });
    hooked = true;
  }
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS: [...ALLOWED_TAGS],
    ALLOWED_ATTR: [...ALLOWED_ATTR],
    ALLOWED_URI_REGEXP: SAFE_URL,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    KEEP_CONTENT: true, // the text inside a removed element stays (DOMPurify drops script/style/svg... contents)
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const markdown = new Marked({ renderer: { html: ({ text }) => escapeHtml(text) } });

export function renderMarkdown(text: string): string {
  const html = markdown.parse(text.slice(0, 20_000), { async: false, gfm: true, breaks: false });
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
