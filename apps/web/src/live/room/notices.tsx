/**
 * What the participant must know right now, laid over the top of the stage so
 * it never pushes the video down on a phone: connection state and its cause,
 * a media failure with a retry, an invitation to speak, a host's mute. The
 * audio-only offer sits over the stage's bottom edge.
 */
import { t } from '../../i18n';
import type { LiveClient } from '../live-client';
import type { ConnectionCause, LiveState } from '../room-state';
import { lt } from '../room-text';
import { deviceErrorText } from './controls';

function causeText(cause: ConnectionCause | null): string {
  switch (cause) {
    case 'server-restart':
      return lt('causeServerRestart');
    case 'live-unreachable':
      return lt('causeLiveUnreachable');
    case 'room-moving':
      return lt('causeRoomMoving');
    case 'config-unreachable':
      return lt('causeConfig');
    default:
      return t('connectionLost');
  }
}

const attemptText = (n: number) => (n >= 2 ? ` (${lt('attempt', { n })})` : '');

export function Notices({
  s,
  client,
  notice,
  setNotice,
}: {
  s: LiveState;
  client: LiveClient;
  notice: string | null;
  setNotice: (m: string | null) => void;
}) {
  const problem = s.mediaProblem;
  return (
    <div class="live-notices">
      {s.status === 'connecting' && !s.cause && (
        <div class="banner banner-info" role="status">
          {t('connecting')}
        </div>
      )}
      {s.status === 'connecting' && s.cause && (
        <div class="banner banner-warn" role="alert" data-testid="connect-problem" data-cause={s.cause}>
          {causeText(s.cause)}
          {attemptText(s.attempt)}
        </div>
      )}
      {s.status === 'reconnecting' && (
        <div class="banner banner-warn" role="alert" data-testid="reconnecting" data-cause={s.cause ?? 'network'}>
          {t('reconnecting')} {causeText(s.cause)}
          {attemptText(s.attempt)}
        </div>
      )}
      {s.status === 'live' && problem && (
        <div class="banner banner-error" role="alert" data-testid="media-problem" data-problem={problem}>
          {problem === 'unsupported'
            ? lt('problemUnsupported')
            : problem === 'insecure'
              ? lt('problemInsecure')
              : problem === 'ice-failed'
                ? lt('problemIce')
                : lt('problemNoMedia')}
          {problem !== 'unsupported' && problem !== 'insecure' && (
            <button type="button" class="btn" data-testid="retry-media" onClick={() => void client.retryMedia()}>
              {lt('retryMedia')}
            </button>
          )}
        </div>
      )}
      {s.invited && !s.local.mic && (
        <div class="banner banner-info" role="alert" data-testid="speak-invite">
          {t('invitedToSpeak')}
          <button
            type="button"
            class="btn"
            onClick={async () => {
              try {
                if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('no media devices', 'NotFoundError');
                const st = await navigator.mediaDevices.getUserMedia({
                  audio: true,
                  video: s.invited?.camera ?? false,
                });
                const [a] = st.getAudioTracks();
                const [v] = st.getVideoTracks();
                if (a) await client.publish('mic', a);
                if (v) await client.publish('camera', v);
                client.dismissInvite();
              } catch (e) {
                setNotice(deviceErrorText(e));
              }
            }}
          >
            {t('acceptSpeak')}
          </button>
        </div>
      )}
      {s.mutedByHost && !s.local.mic && (
        <div class="banner banner-info" role="status" data-testid="muted-by-host">
          {t('mutedByHost')}
        </div>
      )}
      {notice && (
        <div class="banner banner-error" role="alert">
          {notice}
          <button type="button" class="btn" aria-label={t('close')} onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}

export function AudioOnlyOffer({ s, client }: { s: LiveState; client: LiveClient }) {
  if (!s.offerAudioOnly) return null;
  return (
    <div class="stage-offer" role="alert" data-testid="audio-only-offer">
      <span class="offer-text">{t('audioOnlyOffer')}</span>
      <span class="offer-actions">
        <button type="button" class="btn btn-accept" onClick={() => void client.setAudioOnly(true)}>
          {t('audioOnlyAccept')}
        </button>
        <button type="button" class="btn" onClick={() => client.declineAudioOnly()}>
          {t('audioOnlyDecline')}
        </button>
      </span>
    </div>
  );
}
