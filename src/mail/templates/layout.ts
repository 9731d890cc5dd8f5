import type { Lang } from '../words';

/** What a message is made of; each block is written once and becomes both the text and the HTML part. */
export type Block =
  | { p: string }
  | { strong: string }
  | { lines: string[] }
  | { links: { label: string; url: string }[] }
  | { rule: true };

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function textOf(blocks: Block[]): string {
  return blocks
    .map((b) => {
      if ('p' in b) return b.p;
      if ('strong' in b) return b.strong;
      if ('lines' in b) return b.lines.join('\n');
      if ('links' in b) return b.links.map((l) => `${l.label}: ${l.url}`).join('\n');
      return '—';
    })
    .join('\n\n');
}

const P = 'margin:0 0 14px;font-size:16px;line-height:1.5';
const BUTTON =
  'display:inline-block;margin:0 8px 8px 0;padding:10px 16px;border-radius:6px;background:#1d4ed8;color:#ffffff;text-decoration:none;font-weight:bold';

function htmlOf(blocks: Block[]): string {
  return blocks
    .map((b) => {
      if ('p' in b) return `<p style="${P}">${esc(b.p)}</p>`;
      if ('strong' in b) return `<p style="${P}"><strong>${esc(b.strong)}</strong></p>`;
      if ('lines' in b) return `<p style="${P}">${b.lines.map(esc).join('<br>')}</p>`;
      if ('links' in b)
        return `<p style="${P}">${b.links.map((l) => `<a href="${esc(l.url)}" style="${BUTTON}">${esc(l.label)}</a>`).join('')}</p>`;
      return '<hr style="border:0;border-top:1px solid #d4d4d8;margin:18px 0">';
    })
    .join('\n');
}

/**
 * One message in both languages: Swedish first, English below, in the text part and the HTML
 * part alike. The subject line is Swedish only (a phone shows its start); the English subject
 * heads the English part. Plain markup with inline styles, since mail clients drop style sheets.
 */
export function compose(subject: Record<Lang, string>, body: Record<Lang, Block[]>): Rendered {
  const english: Block[] = [{ strong: subject.en }, ...body.en];
  const text = `${textOf(body.sv)}\n\n---- In English ----\n\n${textOf(english)}\n`;
  const html = `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(subject.sv)}</title></head>
<body style="margin:0;padding:16px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#18181b">
<div style="max-width:600px;margin:0 auto;background:#ffffff;padding:20px;border-radius:8px">
<div lang="sv">
${htmlOf(body.sv)}
</div>
<hr style="border:0;border-top:2px solid #a1a1aa;margin:24px 0">
<div lang="en">
<p style="${P};color:#52525b">In English</p>
${htmlOf(english)}
</div>
</div>
</body></html>
`;
  return { subject: subject.sv, text, html };
}
