/** Texts of every notice, in Bahasa Indonesia (the participants' language). Pure functions. */
import { DateTime } from 'luxon';
import { DISPLAY_TIME_ZONE } from '@balai/domain';
import type { NotificationMessage } from './channels/notification-channel';

/** Every time in a notice is shown in Asia/Jakarta, labelled WIB, like the web client does. */
export function wib(at: Date): string {
  return `${DateTime.fromJSDate(at).setZone(DISPLAY_TIME_ZONE).setLocale('id').toFormat("cccc, d MMMM yyyy 'pukul' HH.mm")} WIB`;
}

function leadText(leadMinutes: number): string {
  if (leadMinutes % (24 * 60) === 0) return `${leadMinutes / (24 * 60)} hari`;
  if (leadMinutes % 60 === 0) return `${leadMinutes / 60} jam`;
  return `${leadMinutes} menit`;
}

export const messages = {
  reminder(
    name: string,
    p: { courseTitle: string; sessionTitle: string; startsAt: string; leadMinutes: number; url: string },
  ): NotificationMessage {
    return {
      subject: `Pengingat: ${p.sessionTitle} dimulai ${leadText(p.leadMinutes)} lagi`,
      text: `Yth. ${name},\n\nSesi "${p.sessionTitle}" pada kegiatan "${p.courseTitle}" akan dimulai ${p.startsAt}.\nMasuk ke ruang kelas: ${p.url}\n\nSalam,\nBalai`,
    };
  },
  rescheduled(
    name: string,
    p: { courseTitle: string; sessionTitle: string; startsAt: string; previous?: string; reason?: string; url: string },
  ): NotificationMessage {
    return {
      subject: `Jadwal berubah: ${p.sessionTitle}`,
      text:
        `Yth. ${name},\n\nJadwal sesi "${p.sessionTitle}" pada kegiatan "${p.courseTitle}" diubah` +
        `${p.previous ? ` dari ${p.previous}` : ''} menjadi ${p.startsAt}.` +
        `${p.reason ? `\nAlasan: ${p.reason}` : ''}\nDetail: ${p.url}\n\nSalam,\nBalai`,
    };
  },
  cancelled(
    name: string,
    p: { courseTitle: string; sessionTitle: string; startsAt: string; reason?: string; url: string },
  ): NotificationMessage {
    return {
      subject: `Sesi dibatalkan: ${p.sessionTitle}`,
      text:
        `Yth. ${name},\n\nSesi "${p.sessionTitle}" pada kegiatan "${p.courseTitle}" yang dijadwalkan ${p.startsAt} dibatalkan.` +
        `${p.reason ? `\nAlasan: ${p.reason}` : ''}\nDetail: ${p.url}\n\nSalam,\nBalai`,
    };
  },
  waitlistPromoted(name: string, p: { courseTitle: string; url: string }): NotificationMessage {
    return {
      subject: `Anda mendapat kursi: ${p.courseTitle}`,
      text: `Yth. ${name},\n\nKursi tersedia dan Anda kini terdaftar sebagai peserta "${p.courseTitle}" (sebelumnya daftar tunggu).\nDetail: ${p.url}\n\nSalam,\nBalai`,
    };
  },
  certificateIssued(
    name: string,
    p: { courseTitle: string; number: string; verifyUrl: string; downloadUrl: string },
  ): NotificationMessage {
    return {
      subject: `Sertifikat Anda telah terbit: ${p.courseTitle}`,
      text:
        `Yth. ${name},\n\nSelamat! Sertifikat Anda untuk "${p.courseTitle}" telah terbit dengan nomor ${p.number}.\n` +
        `Unduh: ${p.downloadUrl}\nVerifikasi keaslian: ${p.verifyUrl}\n\nSalam,\nBalai`,
    };
  },
  passwordReset(name: string, p: { resetUrl: string }): NotificationMessage {
    return {
      subject: 'Atur ulang kata sandi Balai',
      text: `Yth. ${name},\n\nKami menerima permintaan untuk mengatur ulang kata sandi Anda. Buka tautan berikut (berlaku sementara):\n${p.resetUrl}\n\nAbaikan email ini jika Anda tidak memintanya.\n\nSalam,\nBalai`,
    };
  },
};
