/** Camera + microphone preview before entering, for those allowed to publish. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n';
import { lt } from '../room-text';
import { deviceErrorKind } from './roles';

export const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 20 },
};

export function DeviceCheck({ onDone }: { onDone: (stream: MediaStream | null) => void }) {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<'denied' | 'missing' | 'insecure' | null>(null);
  const [level, setLevel] = useState(0);
  const videoRef = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let raf = 0;
    let ctx: AudioContext | null = null;
    if (!navigator.mediaDevices?.getUserMedia) {
      setError(window.isSecureContext ? 'missing' : 'insecure');
      return undefined;
    }
    navigator.mediaDevices
      .getUserMedia({ audio: true, video: CAMERA_CONSTRAINTS })
      .then((ms) => {
        setStream(ms);
        if (videoRef.current) videoRef.current.srcObject = ms;
        try {
          ctx = new AudioContext();
          const analyser = ctx.createAnalyser();
          ctx.createMediaStreamSource(ms).connect(analyser);
          const data = new Uint8Array(analyser.frequencyBinCount);
          const tick = () => {
            analyser.getByteFrequencyData(data);
            setLevel(Math.min(100, (data.reduce((a, b) => a + b, 0) / data.length) * 1.5));
            raf = requestAnimationFrame(tick);
          };
          tick();
        } catch {
          /* no level meter */
        }
      })
      .catch((e: unknown) => setError(deviceErrorKind(e)));
    return () => {
      cancelAnimationFrame(raf);
      void ctx?.close();
    };
  }, []);
  return (
    <div class="live-center">
      <h1>{t('deviceCheck')}</h1>
      <p>{t('deviceCheckIntro')}</p>
      {error && (
        <div class="banner banner-error" role="alert" data-testid="device-error" data-kind={error}>
          {error === 'denied' ? t('cameraDenied') : error === 'insecure' ? lt('problemInsecure') : t('cameraMissing')}
        </div>
      )}
      {!error && <video ref={videoRef} class="preview" autoPlay playsInline muted aria-label={t('camera')} />}
      {!error && (
        <div
          class="mic-level"
          role="meter"
          aria-label={t('microphone')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(level)}
        >
          <span style={{ width: `${level}%` }} />
        </div>
      )}
      <div class="row" style={{ justifyContent: 'center' }}>
        {stream && (
          <button type="button" class="btn" data-testid="enter-room" onClick={() => onDone(stream)}>
            {t('enterRoom')}
          </button>
        )}
        {error && (
          <button type="button" class="btn" onClick={() => onDone(null)}>
            {t('enterWithoutCamera')}
          </button>
        )}
        {error && error !== 'denied' && (
          <button type="button" class="btn" onClick={() => location.reload()}>
            {t('retry')}
          </button>
        )}
      </div>
    </div>
  );
}
