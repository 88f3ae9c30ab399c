/**
 * The local mail catcher of `infra/balai up` (infra/scripts/mailbox.ts): mail the
 * worker sends over SMTP shows in the web inbox, decoded (subject, text, HTML,
 * attachments), and bad addresses answer 404 rather than crashing it.
 */
import { createTransport } from 'nodemailer';
import { Mailbox, startMailbox } from '../../../infra/scripts/mailbox';
import { freePort } from '../../support/redis-server';

describe('mail catcher', () => {
  let box: Mailbox;
  let inbox: string;

  beforeAll(async () => {
    box = await startMailbox({ smtpPort: await freePort(), httpPort: await freePort() });
    inbox = `http://127.0.0.1:${box.httpPort}`;
  });
  afterAll(() => box.close());

  it('shows a sent certificate mail in the inbox, decoded', async () => {
    const transport = createTransport(`smtp://127.0.0.1:${box.smtpPort}`);
    await transport.sendMail({
      from: 'Balai Dinas Perindustrian <no-reply@balai.local>',
      to: '"Ani Suryani" <ani@example.id>',
      subject: 'Sertifikat Anda telah terbit: Pelatihan Pengemasan — Angkatan 2',
      text: 'Yth. Ani,\n\nSelamat! Unduh: https://balai.test/#/sertifikat',
      html: '<p>Yth. Ani, <b>selamat</b>!</p>',
      messageId: '<certificate-abc.email.u1@balai.local>',
      attachments: [{ filename: 'sertifikat.pdf', content: Buffer.from('%PDF-1.7 test') }],
    });
    transport.close();

    const list = (await (await fetch(`${inbox}/api/messages`)).json()) as Array<{
      id: number;
      subject: string;
      to: string[];
      messageId: string;
    }>;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      subject: 'Sertifikat Anda telah terbit: Pelatihan Pengemasan — Angkatan 2',
      to: ['ani@example.id'],
      messageId: '<certificate-abc.email.u1@balai.local>',
    });

    const page = await (await fetch(`${inbox}/`)).text();
    expect(page).toContain('Pelatihan Pengemasan — Angkatan 2');
    const message = await (await fetch(`${inbox}/messages/${list[0]!.id}`)).text();
    expect(message).toContain('https://balai.test/#/sertifikat');
    expect(message).toContain('sertifikat.pdf');
    const pdf = await fetch(`${inbox}/messages/${list[0]!.id}/attachments/0`);
    expect(await pdf.text()).toBe('%PDF-1.7 test');
  });

  it('answers 404 for messages and attachments that do not exist', async () => {
    expect((await fetch(`${inbox}/messages/999999`)).status).toBe(404);
    expect((await fetch(`${inbox}/messages/1/attachments/7`)).status).toBe(404);
    expect((await fetch(`${inbox}/nope`)).status).toBe(404);
    expect((await fetch(`${inbox}/`, { method: 'POST' })).status).toBe(405);
  });
});
