/** <video> and <audio> bound to a MediaStreamTrack; a video can report its drawn size (simulcast layer choice). */
import { useEffect, useRef } from 'preact/hooks';

export function Video({
  track,
  muted,
  onSize,
  label,
}: {
  track: MediaStreamTrack;
  muted?: boolean;
  onSize?: (w: number, h: number) => void;
  label?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([track]);
    void el.play().catch(() => undefined);
    if (onSize) {
      const report = () => onSize(el.clientWidth, el.clientHeight);
      report();
      const ro = new ResizeObserver(report);
      ro.observe(el);
      return () => ro.disconnect();
    }
    return undefined;
  }, [track]);
  return <video ref={ref} autoPlay playsInline muted={muted ?? true} aria-label={label} />;
}

export function Audio({ track }: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    ref.current.srcObject = new MediaStream([track]);
    void ref.current.play().catch(() => undefined);
  }, [track]);
  return <audio ref={ref} autoPlay />;
}
