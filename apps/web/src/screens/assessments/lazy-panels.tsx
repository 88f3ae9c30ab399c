/**
 * The course-page panels of issue 11, loaded on demand so the participant's
 * first load (catalogue, "Kelas saya") does not carry the test screens.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Spinner } from '../../ui';

type PanelProps = { courseId: string };

function lazyPanel(load: () => Promise<ComponentType<PanelProps>>) {
  let loaded: ComponentType<PanelProps> | null = null;
  return function LazyPanel(props: PanelProps) {
    const [C, setC] = useState<ComponentType<PanelProps> | null>(() => loaded);
    useEffect(() => {
      if (!C)
        void load().then(
          (c) => {
            loaded = c;
            setC(() => c);
          },
          () => undefined,
        );
    }, []);
    return C ? <C {...props} /> : <Spinner />;
  };
}

export const AssessmentPanelLazy = lazyPanel(() => import('./participant-panel').then((m) => m.AssessmentPanel));
export const AssessmentStaffPanelLazy = lazyPanel(() => import('./staff-panel').then((m) => m.AssessmentStaffPanel));
