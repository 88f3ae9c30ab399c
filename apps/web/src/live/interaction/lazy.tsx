/** The course-page panel of issue 12, loaded on demand (trainer and admin screens only). */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../../api/client';
import { Spinner } from '../../ui';

type Props = { courseId: string; sessions: Session[] };
let loaded: ComponentType<Props> | null = null;

export function CoursePollsPanelLazy(props: Props) {
  const [C, setC] = useState<ComponentType<Props> | null>(() => loaded);
  useEffect(() => {
    if (!C)
      void import('./course-polls-panel').then(
        (m) => {
          loaded = m.CoursePollsPanel;
          setC(() => m.CoursePollsPanel);
        },
        () => undefined,
      );
  }, []);
  return C ? <C {...props} /> : <Spinner />;
}
