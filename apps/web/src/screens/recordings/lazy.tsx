/** The "Rekaman" panel, loaded on demand so course pages do not carry it in their first load. */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Spinner } from '../../ui';

type Props = { courseId?: string; sessionId?: string };
let loaded: ComponentType<Props> | null = null;

export function RecordingsPanelLazy(props: Props) {
  const [C, setC] = useState<ComponentType<Props> | null>(() => loaded);
  useEffect(() => {
    if (!C)
      void import('./recordings-panel').then(
        (m) => {
          loaded = m.RecordingsPanel;
          setC(() => m.RecordingsPanel);
        },
        () => undefined,
      );
  }, []);
  return C ? <C {...props} /> : <Spinner />;
}
