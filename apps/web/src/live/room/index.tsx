/**
 * The live classroom screen (its own chunk, loaded on demand and prefetched
 * from "Kelas saya"). Trainers and admins check camera and microphone first.
 */
import { useState } from 'preact/hooks';
import { meStore } from '../../api/client';
import { useLang } from '../../i18n';
import { useStore } from '../../store';
import { DeviceCheck } from './device-check';
import { Room } from './room';

export function LiveRoom({ sessionId }: Record<string, string>) {
  useLang();
  const me = useStore(meStore);
  const [phase, setPhase] = useState<'check' | 'room'>(
    me && (me.role === 'trainer' || me.role === 'admin') ? 'check' : 'room',
  );
  const [initialStream, setInitialStream] = useState<MediaStream | null>(null);
  if (phase === 'check')
    return (
      <div class="live">
        <DeviceCheck
          onDone={(s) => {
            setInitialStream(s);
            setPhase('room');
          }}
        />
      </div>
    );
  return <Room sessionId={sessionId!} initialStream={initialStream} />;
}
