/**
 * The live room's own words (Bahasa Indonesia first, English typed from it so a
 * missing key fails the type check). They live beside the room so they load
 * with its chunk, not with every participant's first page; the shared words
 * (buttons, chat, moderation) stay in ../i18n.
 */
import { langStore } from '../i18n';

const id = {
  measuring: 'Mengukur…',
  disconnected: 'Terputus',
  causeNetwork: 'Koneksi ke server kelas terputus. Mencoba lagi otomatis…',
  causeServerRestart: 'Server kelas sedang dimulai ulang. Anda akan tersambung kembali otomatis…',
  causeRoomMoving: 'Kelas sedang dipindahkan ke server lain. Mencoba lagi otomatis…',
  causeLiveUnreachable: 'Server kelas tidak menjawab; internet Anda tersambung. Mencoba lagi otomatis…',
  causeConfig: 'Server Balai tidak dapat dihubungi (bukan internet Anda). Mencoba lagi otomatis…',
  attempt: 'percobaan ke-{n}',
  micWaiting: 'Mikrofon: menunggu koneksi',
  camWaiting: 'Kamera: menunggu koneksi',
  problemUnsupported:
    'Browser ini tidak mendukung kelas video langsung. Buka Balai di Chrome, Firefox atau Safari versi terbaru.',
  problemInsecure:
    'Halaman ini tidak dibuka lewat koneksi aman (https), jadi kamera dan mikrofon tidak bisa dipakai. Buka alamat Balai yang diawali https://.',
  problemIce:
    'Video dan suara tidak bisa tersambung dari jaringan ini (mungkin diblokir). Coba jaringan lain, atau coba lagi.',
  problemNoMedia: 'Sudah tersambung, tetapi belum ada video atau suara yang masuk.',
  retryMedia: 'Coba lagi',
  actions: 'Tindakan',
  actionsFor: 'Tindakan untuk {name}',
  endsAt: 'selesai {t}',
  leaving: 'Keluar…',
  speakInsecure: 'Mikrofon tidak bisa dipakai di halaman yang tidak aman (tanpa https).',
  publishRefused: 'Pelatih belum mengizinkan Anda berbicara atau menyalakan kamera.',
  publishFailed: 'Mikrofon atau kamera Anda menyala, tetapi belum bisa dikirim ke kelas. Coba lagi sebentar lagi.',
};

type Key = keyof typeof id;

const en: Record<Key, string> = {
  measuring: 'Measuring…',
  disconnected: 'Disconnected',
  causeNetwork: 'The connection to the class server was lost. Retrying automatically…',
  causeServerRestart: 'The class server is restarting. You will be reconnected automatically…',
  causeRoomMoving: 'The class is moving to another server. Retrying automatically…',
  causeLiveUnreachable: 'The class server is not answering; your internet works. Retrying automatically…',
  causeConfig: 'The Balai server cannot be reached (not your internet). Retrying automatically…',
  attempt: 'attempt {n}',
  micWaiting: 'Microphone: waiting for the connection',
  camWaiting: 'Camera: waiting for the connection',
  problemUnsupported:
    'This browser does not support live video classes. Open Balai in a recent Chrome, Firefox or Safari.',
  problemInsecure:
    'This page was not opened over a secure connection (https), so camera and microphone cannot be used. Open the Balai address starting with https://.',
  problemIce:
    'Video and sound cannot connect from this network (it may be blocked). Try another network, or try again.',
  problemNoMedia: 'Connected, but no video or sound is arriving yet.',
  retryMedia: 'Try again',
  actions: 'Actions',
  actionsFor: 'Actions for {name}',
  endsAt: 'ends {t}',
  leaving: 'Leaving…',
  speakInsecure: 'The microphone cannot be used on a page that is not secure (no https).',
  publishRefused: 'The trainer has not allowed you to speak or turn on your camera.',
  publishFailed: 'Your microphone or camera works, but it could not be sent to the class yet. Try again in a moment.',
};

export function lt(key: Key, vars?: Record<string, string | number>): string {
  let text = (langStore.get() === 'en' ? en : id)[key];
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.split(`{${k}}`).join(String(v));
  return text;
}
