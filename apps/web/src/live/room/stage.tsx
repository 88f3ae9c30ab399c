/** The main stage (screen share first, then the host's camera, then whoever speaks) and the tiles of everyone else. */
import { t } from '../../i18n';
import type { LiveClient } from '../live-client';
import type { LiveState, RemoteMedia } from '../room-state';
import { Video } from './media-elements';
import { isStaff } from './roles';

export function pickStage(s: LiveState): RemoteMedia | null {
  if (s.audioOnly) return null;
  const video = Object.values(s.media).filter((m) => m.kind === 'video');
  const role = (peerId: string) => s.peers[peerId]?.role;
  return (
    video.find((m) => m.source === 'screen' && role(m.peerId) !== 'participant') ??
    video.find((m) => m.source === 'screen') ??
    video.find((m) => m.source === 'camera' && role(m.peerId) === 'host') ??
    video.find((m) => m.source === 'camera' && role(m.peerId) === 'moderator') ??
    video.find((m) => m.peerId === s.activeSpeaker) ??
    video[0] ??
    null
  );
}

export function Stage({ s, client }: { s: LiveState; client: LiveClient }) {
  const stage = pickStage(s);
  const ownScreen = s.local.screen;
  const name = stage ? (s.peers[stage.peerId]?.name ?? '') : '';
  return (
    <section class="stage" aria-label={t('stage')} data-testid="stage">
      {stage ? (
        <>
          <Video
            key={stage.consumerId}
            track={stage.track}
            label={name}
            onSize={(w, h) => client.reportViewport(stage.consumerId, w, h)}
          />
          <span class="stage-label">
            {name}
            {stage.source === 'screen' ? ` · ${t('shareScreen')}` : ''}
          </span>
        </>
      ) : ownScreen ? (
        <>
          <Video track={ownScreen} label={t('you')} />
          <span class="stage-label">
            {t('you')} · {t('shareScreen')}
          </span>
        </>
      ) : s.local.camera && isStaff(s.self) && !s.audioOnly ? (
        <>
          <Video track={s.local.camera} label={t('you')} />
          <span class="stage-label">{t('you')}</span>
        </>
      ) : (
        <p class="placeholder">{s.audioOnly ? `🔈 ${t('audioOnlyOn')}` : t('waitingHost')}</p>
      )}
    </section>
  );
}

export function Tiles({ s, client }: { s: LiveState; client: LiveClient }) {
  const stage = pickStage(s);
  const others = s.audioOnly
    ? []
    : Object.values(s.media).filter((m) => m.kind === 'video' && m.consumerId !== stage?.consumerId);
  const speakers = Object.values(s.peers).filter(
    (p) =>
      p.canSpeak &&
      p.peerId !== s.self?.peerId &&
      !others.some((m) => m.peerId === p.peerId) &&
      stage?.peerId !== p.peerId,
  );
  const micOn = (peerId: string) =>
    Object.values(s.producers).some((p) => p.peerId === peerId && p.source === 'mic' && !p.paused);
  const showSelf = s.local.camera && !(isStaff(s.self) && !stage && !s.local.screen);
  if (!others.length && !speakers.length && !showSelf) return null;
  return (
    <ul class="tiles" aria-label={t('participants')}>
      {showSelf && (
        <li class="tile">
          <Video track={s.local.camera!} label={t('you')} />
          <span class="name">{t('you')}</span>
        </li>
      )}
      {others.map((m) => (
        <li key={m.consumerId} class={`tile${s.activeSpeaker === m.peerId ? ' speaking' : ''}`}>
          <Video
            track={m.track}
            label={s.peers[m.peerId]?.name}
            onSize={(w, h) => client.reportViewport(m.consumerId, w, h)}
          />
          <span class="name">
            {micOn(m.peerId) ? '🎤' : '🔇'} {s.peers[m.peerId]?.name}
          </span>
        </li>
      ))}
      {speakers.map((p) => (
        <li key={p.peerId} class={`tile${s.activeSpeaker === p.peerId ? ' speaking' : ''}`}>
          <span aria-hidden="true" style={{ fontSize: '2rem' }}>
            {p.name.slice(0, 1).toUpperCase()}
          </span>
          <span class="name">
            {micOn(p.peerId) ? '🎤' : '🔇'} {p.name}
          </span>
        </li>
      ))}
    </ul>
  );
}
