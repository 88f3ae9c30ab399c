/**
 * The room's top bar: course, session title and end time (WIB), the quality
 * indicator ("Mengukur…" until there is data, "Terputus" while not live; never
 * "Baik" without a measurement) and "Keluar kelas".
 */
import { useState } from 'preact/hooks';
import { t } from '../../i18n';
import { formatTime } from '../../time';
import type { LiveClient } from '../live-client';
import type { RoomInfo } from '../room-info';
import type { LiveState } from '../room-state';
import { lt } from '../room-text';

export function qualityView(s: LiveState): { key: string; text: string } {
  // Not live, or live without a media path (ICE failed, nothing arriving): never a quality word.
  if (s.status !== 'live' || s.mediaProblem === 'ice-failed' || s.mediaProblem === 'no-media')
    return { key: 'offline', text: lt('disconnected') };
  if (!s.quality) return { key: 'measuring', text: lt('measuring') };
  const q = s.quality === 'bad' ? 'poor' : s.quality;
  return { key: s.quality, text: t(`quality_${q}` as 'quality_good') };
}

export function RoomHeader({
  s,
  client,
  info,
  onLeave,
}: {
  s: LiveState;
  client: LiveClient;
  info: RoomInfo | null;
  onLeave: () => void;
}) {
  const [leaving, setLeaving] = useState(false);
  const q = qualityView(s);
  const endsAt = s.endsAt ?? info?.endsAt ?? null;
  return (
    <header class="live-top" data-testid="room-header">
      <div class="live-title">
        <h1 class="title" data-testid="room-course">
          {info?.courseTitle ?? 'Balai'}
        </h1>
        <p class="subtitle" data-testid="room-session">
          {info?.sessionTitle ?? t('stage')}
          {endsAt ? ` · ${lt('endsAt', { t: formatTime(endsAt) })}` : ''}
        </p>
      </div>
      <span
        class={`q q-${q.key}`}
        data-testid="quality"
        data-quality={q.key}
        aria-label={`${t('quality')}: ${q.text}`}
        role="img"
      >
        <span class="q-dot" aria-hidden="true" />
        <span class="q-text">{q.text}</span>
      </span>
      {s.audioOnly && (
        <span class="audio-only-flag" role="img" aria-label={t('audioOnlyOn')} title={t('audioOnlyOn')}>
          🔈
        </span>
      )}
      <button
        type="button"
        class="btn"
        data-testid="leave-room"
        disabled={leaving}
        onClick={async () => {
          setLeaving(true);
          await client.leave();
          onLeave();
        }}
      >
        {leaving ? lt('leaving') : t('leave')}
      </button>
    </header>
  );
}
