/**
 * The local mail catcher of `infra/balai up`: an SMTP server (the `smtp-server`
 * package) that accepts every message and a small web inbox to read them, so
 * reminder, password-reset and certificate emails of a development instance
 * arrive somewhere visible. For development only: it keeps the last
 * MAILBOX_KEEP messages in memory, has no authentication and must never listen
 * on a public address.
 *
 *   node -r @swc-node/register infra/scripts/mailbox.ts
 *   MAILBOX_SMTP_PORT (2525, what SMTP_URL points at by default), MAILBOX_HTTP_PORT (8025)
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  messageId?: string;
  attachments: Array<{ filename: string; mimeType: string; size: number; content: Uint8Array }>;
  raw: Buffer;
}

export interface Mailbox {
  smtpPort: number;
  httpPort: number;
  messages: CaughtMail[];
  close(): Promise<void>;
}

export interface MailboxOptions {
  host?: string;
  smtpPort?: number;
  httpPort?: number;
  keep?: number;
}

export async function startMailbox(options: MailboxOptions = {}): Promise<Mailbox> {
  const host = options.host ?? '127.0.0.1';
  const keep = options.keep ?? 500;
  const messages: CaughtMail[] = [];
  let nextId = 1;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 25 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        PostalMime.parse(raw)
          .then((email) => {
            messages.unshift({
              id: nextId++,
              receivedAt: new Date().toISOString(),
              from:
                email.from?.address ??
                email.from?.name ??
                (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: email.subject ?? '(tanpa subjek)',
              text: email.text ?? '',
              html: email.html,
              messageId: email.messageId,
              attachments: email.attachments.map((a) => {
                const content = typeof a.content === 'string' ? Buffer.from(a.content) : new Uint8Array(a.content);
                return { filename: a.filename ?? 'lampiran', mimeType: a.mimeType, size: content.byteLength, content };
              }),
              raw,
            });
            messages.splice(keep);
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  // A client that hangs up mid-conversation is not our problem.
  smtp.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(options.smtpPort ?? 2525, host, () => resolve());
  });

  const http: Server = createServer((req, res) => {
    try {
      route(req, res, messages);
    } catch {
      send(res, 500, 'text/plain; charset=utf-8', 'error');
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.httpPort ?? 8025, host, () => resolve());
  });

  return {
    smtpPort: (smtp.server.address() as AddressInfo).port,
    httpPort: (http.address() as AddressInfo).port,
    messages,
    close: async () => {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

function route(req: IncomingMessage, res: ServerResponse, messages: CaughtMail[]): void {
  const url = new URL(req.url ?? '/', 'http://mailbox');
  const find = (id: string | undefined) => messages.find((m) => String(m.id) === id);
  if (req.method === 'DELETE' && url.pathname === '/api/messages') {
    messages.length = 0;
    return send(res, 204, 'text/plain', '');
  }
  if (req.method !== 'GET') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
  if (url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', inboxPage(messages));
  if (url.pathname === '/api/messages') {
    const list = messages.map(({ raw: _raw, attachments, ...m }) => ({
      ...m,
      attachments: attachments.map(({ content: _content, ...a }) => a),
    }));
    return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(list));
  }
  const match = /^\/messages\/(\d+)(?:\/(raw|attachments\/(\d+)))?$/.exec(url.pathname);
  const mail = find(match?.[1]);
  if (!match || !mail)
    return send(res, 404, 'text/html; charset=utf-8', page('Tidak ditemukan', '<p>Pesan tidak ada (lagi).</p>'));
  if (match[2] === 'raw') return send(res, 200, 'message/rfc822', mail.raw);
  if (match[3] !== undefined) {
    const file = mail.attachments[Number(match[3])];
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'no such attachment');
    res.setHeader('content-disposition', `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`);
    return send(res, 200, file.mimeType || 'application/octet-stream', Buffer.from(file.content));
  }
  return send(res, 200, 'text/html; charset=utf-8', messagePage(mail));
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const wib = (iso: string) =>
  `${new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso))} WIB`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Kotak surat Balai</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b}
a{color:#0b5cad}table{border-collapse:collapse;width:100%}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.muted{color:#666;font-size:.9em}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:.75rem}
iframe{width:100%;min-height:24rem;border:1px solid #ddd}</style></head><body>${body}</body></html>`;
}

function inboxPage(messages: CaughtMail[]): string {
  const rows = messages
    .map(
      (
        m,
      ) => `<tr><td><a href="/messages/${m.id}">${escape(m.subject)}</a><div class="muted">kepada ${escape(m.to.join(', '))}</div></td>
<td class="muted">${escape(wib(m.receivedAt))}</td></tr>`,
    )
    .join('');
  return page(
    'Kotak masuk',
    `<h1>Kotak surat pengembangan</h1><p class="muted">Semua email dari instans lokal Balai tertangkap di sini, tidak ada yang terkirim keluar. ${messages.length} pesan.</p>
${messages.length ? `<table><tbody>${rows}</tbody></table>` : '<p>Belum ada email.</p>'}`,
  );
}

function messagePage(m: CaughtMail): string {
  const attachments = m.attachments
    .map(
      (a, i) =>
        `<li><a href="/messages/${m.id}/attachments/${i}">${escape(a.filename)}</a> <span class="muted">${a.size} bytes</span></li>`,
    )
    .join('');
  return page(
    m.subject,
    `<p><a href="/">&larr; Kotak masuk</a></p><h1>${escape(m.subject)}</h1>
<p class="muted">dari ${escape(m.from)} kepada ${escape(m.to.join(', '))}<br>${escape(wib(m.receivedAt))}${m.messageId ? ` · ${escape(m.messageId)}` : ''}</p>
${attachments ? `<ul>${attachments}</ul>` : ''}
${m.html ? `<iframe sandbox title="HTML" srcdoc="${escape(m.html)}"></iframe>` : ''}
<pre>${escape(m.text)}</pre><p><a href="/messages/${m.id}/raw">Sumber pesan</a></p>`,
  );
}

if (require.main === module) {
  const port = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      throw new Error(`${name}: expected a port, got ${process.env[name]}`);
    return value;
  };
  startMailbox({ smtpPort: port('MAILBOX_SMTP_PORT', 2525), httpPort: port('MAILBOX_HTTP_PORT', 8025) })
    .then((box) => {
      console.log(`mailbox: SMTP on 127.0.0.1:${box.smtpPort}, inbox at http://127.0.0.1:${box.httpPort}/`);
      const stop = () => void box.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    })
    .catch((error: Error) => {
      console.error(`mailbox: ${error.message}`);
      process.exit(1);
    });
}
