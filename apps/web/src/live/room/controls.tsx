/**
 * The toolbar. A button says what is really happening: a microphone or camera
 * the user turned on but that no producer carries (reconnecting, media being
 * rebuilt) reads "menunggu koneksi", never "menyala".
 */
import { t } from '../../i18n';
import { LiveErrorCode } from '@balai/live-contract/errors';
import type { LiveClient } from '../live-client';
import { LiveRequestError } from '../signalling';
import type { LiveState } from '../room-state';
import { lt } from '../room-text';
import { CAMERA_CONSTRAINTS } from './device-check';
import { deviceErrorKind, isStaff } from './roles';

export function deviceErrorText(e: unknown): string {
  const kind = deviceErrorKind(e);
  return kind === 'denied' ? t('cameraDenied') : kind === 'insecure' ? lt('problemInsecure') : t('cameraMissing');
}

/** A publish the live service refused or that failed after its retries (the device itself works). */
export function publishErrorText(e: unknown): string {
  const code = e instanceof LiveRequestError ? e.error.code : null;
  return code === LiveErrorCode.Forbidden || code === LiveErrorCode.NotAllowed
    ? lt('publishRefused')
    : lt('publishFailed');
}

export function Controls({
  s,
  client,
  onError,
}: {
  s: LiveState;
  client: LiveClient;
  onError: (m: string | null) => void;
}) {
  const self = s.self;
  const mayMic = !!self && (self.canSpeak || isStaff(self));
  const mayCam = !!self && (self.canCamera || isStaff(self));
  const handUp = !!self && s.hands.includes(self.peerId);
  const media = async (kind: 'mic' | 'camera') => {
    onError(null);
    if (s.local[kind]) {
      await client.unpublish(kind);
      return;
    }
    let track: MediaStreamTrack;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('no media devices', 'NotFoundError');
      const st = await navigator.mediaDevices.getUserMedia(
        kind === 'mic' ? { audio: true } : { video: CAMERA_CONSTRAINTS },
      );
      track = st.getTracks()[0]!;
    } catch (e) {
      onError(deviceErrorText(e));
      return;
    }
    try {
      await client.publish(kind, track);
    } catch (e) {
      // The device works: the server refused or the sending failed, which is not a camera problem.
      onError(publishErrorText(e));
    }
  };
  const label = (kind: 'mic' | 'camera') => {
    if (!s.local[kind]) return kind === 'mic' ? `🔇 ${t('micOff')}` : `🚫 ${t('camOff')}`;
    if (!s.sending[kind]) return kind === 'mic' ? `⏳ ${lt('micWaiting')}` : `⏳ ${lt('camWaiting')}`;
    return kind === 'mic' ? `🎤 ${t('micOn')}` : `📷 ${t('camOn')}`;
  };
  return (
    <div class="controls" role="toolbar" aria-label={t('controls')}>
      {mayMic && (
        <button
          type="button"
          class={s.local.mic ? (s.sending.mic ? '' : 'waiting') : 'off'}
          aria-pressed={!!s.local.mic}
          onClick={() => void media('mic')}
          data-testid="toggle-mic"
          data-sending={s.sending.mic}
        >
          {label('mic')}
        </button>
      )}
      {mayCam && (
        <button
          type="button"
          class={s.local.camera ? (s.sending.camera ? '' : 'waiting') : 'off'}
          aria-pressed={!!s.local.camera}
          onClick={() => void media('camera')}
          data-testid="toggle-cam"
          data-sending={s.sending.camera}
        >
          {label('camera')}
        </button>
      )}
      {isStaff(self) && 'getDisplayMedia' in (navigator.mediaDevices ?? {}) && (
        <button
          type="button"
          aria-pressed={!!s.local.screen}
          data-testid="share-screen"
          onClick={async () => {
            if (s.local.screen) return void client.unpublish('screen');
            try {
              const st = await navigator.mediaDevices.getDisplayMedia({
                video: { frameRate: { ideal: 10 } },
                audio: false,
              });
              await client.publish('screen', st.getVideoTracks()[0]!);
            } catch {
              /* cancelled by the user */
            }
          }}
        >
          🖥 {s.local.screen ? t('stopShare') : t('shareScreen')}
        </button>
      )}
      {self?.role === 'participant' && (
        <button
          type="button"
          aria-pressed={handUp}
          data-testid="raise-hand"
          onClick={() => void (handUp ? client.lowerHand() : client.raiseHand()).catch(() => undefined)}
        >
          ✋ {handUp ? t('lowerHand') : t('raiseHand')}
        </button>
      )}
      <button
        type="button"
        aria-pressed={s.audioOnly}
        data-testid="audio-only"
        onClick={() => void client.setAudioOnly(!s.audioOnly)}
      >
        {s.audioOnly ? `🎬 ${t('videoOn')}` : `🔈 ${t('audioOnly')}`}
      </button>
      {isStaff(self) && (
        <button
          type="button"
          class="danger"
          data-testid="end-session"
          onClick={() => {
            if (confirm(t('endConfirm'))) void client.endSession().catch(() => undefined);
          }}
        >
          {t('endSession')}
        </button>
      )}
      {handUp && (
        <p class="sr-only" role="status">
          {t('handRaised')}
        </p>
      )}
    </div>
  );
}
