/**
 * The live classroom screen (its own chunk, loaded on demand and prefetched
 * from "Kelas saya"). Trainers and admins check camera and microphone first;
 * a participant is told first when the session is recorded.
 */
import { useEffect, useState } from 'preact/hooks';
import { meStore } from '../../api/client';
import { useLang } from '../../i18n';
import { useStore } from '../../store';
import { Spinner } from '../../ui';
import type { RecordingEntryStatus } from '../../screens/recordings/recordings-api';
import { recordingEntryStatus, RecordingEntryNotice, RecordingEntryStep } from '../../screens/recordings/entry-notice';
import { prefetchedEntryStatus } from '../prefetch';
import { DeviceCheck } from './device-check';
import { Room } from './room';

export function LiveRoom({ sessionId }: Record<string, string>) {
  useLang();
  const me = useStore(meStore);
  // Participants are told before entering when the session is recorded (issue 13); others see it on the device check.
  const [phase, setPhase] = useState<'check' | 'recorded' | 'room' | 'asking'>(
    me && (me.role === 'trainer' || me.role === 'admin') ? 'check' : 'asking',
  );
  const [initialStream, setInitialStream] = useState<MediaStream | null>(null);
  const [recorded, setRecorded] = useState<RecordingEntryStatus | null>(null);
  useEffect(() => {
    if (phase !== 'asking') return;
    // Asked on "Kelas saya" moments ago if possible (prefetch.ts): no extra round trip on a weak link (#10).
    void (prefetchedEntryStatus(sessionId!) ?? recordingEntryStatus(sessionId!)).then((status) => {
      setRecorded(status);
      setPhase(status ? 'recorded' : 'room');
    });
  }, [sessionId]);
  if (phase === 'asking')
    return (
      <div class="live">
        <Spinner />
      </div>
    );
  if (phase === 'recorded' && recorded)
    return (
      <div class="live">
        <RecordingEntryStep status={recorded} onEnter={() => setPhase('room')} />
      </div>
    );
  if (phase === 'check')
    return (
      <div class="live">
        <RecordingEntryNotice sessionId={sessionId!} />
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
