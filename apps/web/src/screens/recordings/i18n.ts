/**
 * Words of the recordings panel and the room's record button (issue 13),
 * Bahasa Indonesia first; `en` is typed from `id`, so a missing English key
 * fails the type check. Kept beside the screens (loaded with them) like the
 * assessment screens' words, so the first load's dictionary stays small.
 */
import { langStore } from '../../i18n';

const id = {
  recordings: 'Rekaman',
  noRecordings: 'Belum ada rekaman.',
  recordedAt: 'Direkam {t}',
  duration: '{m} menit {s} detik',
  statusRecording: 'Sedang direkam',
  statusComposing: 'Sedang diproses {p}%',
  statusRecorded: 'Menunggu diproses',
  statusFailed: 'Gagal diproses',
  failedReason: 'Alasan: {r}',
  gaps: 'Ada {n} jeda singkat dalam rekaman.',
  quality: 'Kualitas',
  quality360: 'Hemat data (360p)',
  quality720: 'Jelas (720p)',
  download: 'Unduh MP4',
  play: 'Putar',
  playError: 'Video tidak dapat diputar. Coba kualitas hemat data atau unduh berkasnya.',
  deleteRecording: 'Hapus rekaman',
  deleteConfirm: 'Hapus rekaman ini untuk semua orang?',
  recordStart: 'Mulai merekam',
  recordStop: 'Hentikan rekaman',
  recordingNow: '● Merekam',
  recordUnavailable: 'Perekaman tidak tersedia: ffmpeg belum terpasang di server.',
  recordDiskFull: 'Perekaman dihentikan: ruang disk server penuh. Bagian yang sudah terekam tetap tersimpan.',
  recordRestarted: 'Perekam sempat berhenti dan sudah dijalankan lagi; jeda singkat dicatat.',
  recordFailed: 'Perekaman gagal dimulai.',
  recordedNotice: 'Sesi ini sedang direkam. Dengan masuk, Anda setuju wajah dan suara Anda dapat terekam.',
};

type Key = keyof typeof id;

const en: Record<Key, string> = {
  recordings: 'Recordings',
  noRecordings: 'No recordings yet.',
  recordedAt: 'Recorded {t}',
  duration: '{m} min {s} s',
  statusRecording: 'Being recorded',
  statusComposing: 'Processing {p}%',
  statusRecorded: 'Waiting to be processed',
  statusFailed: 'Processing failed',
  failedReason: 'Reason: {r}',
  gaps: 'The recording has {n} short gap(s).',
  quality: 'Quality',
  quality360: 'Data saver (360p)',
  quality720: 'Clear (720p)',
  download: 'Download MP4',
  play: 'Play',
  playError: 'The video cannot be played. Try the data saver quality or download the file.',
  deleteRecording: 'Delete recording',
  deleteConfirm: 'Delete this recording for everyone?',
  recordStart: 'Start recording',
  recordStop: 'Stop recording',
  recordingNow: '● Recording',
  recordUnavailable: 'Recording is unavailable: ffmpeg is not installed on the server.',
  recordDiskFull: 'Recording stopped: the server disk is full. What was recorded so far is kept.',
  recordRestarted: 'The recorder stopped and was restarted; a short gap is noted.',
  recordFailed: 'Recording could not start.',
  recordedNotice: 'This session is being recorded. By entering you agree that your face and voice may be recorded.',
};

export function tr(key: Key, vars?: Record<string, string | number>): string {
  let text: string = (langStore.get() === 'en' ? en : id)[key] ?? id[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.split(`{${k}}`).join(String(v));
  return text;
}

export const recordingDictionaries = { id, en };
