/** One course for an administrator: every lifecycle step, edit, sessions, roster, attendance, certificates, materials. */
import { useState } from 'preact/hooks';
import { api, CourseStatus } from '../../api/client';
import { errorMessage } from '../../errors';
import { t, useLang } from '../../i18n';
import { Alert, Badge, Loaded, PageTitle, useLoad } from '../../ui';
import { typeLabel } from '../catalogue';
import { MaterialsPanel } from '../trainer';
import { AssessmentStaffPanelLazy } from '../assessments/lazy-panels';
import { RecordingsPanelLazy } from '../recordings/lazy';
import { CoursePollsPanelLazy } from '../../live/interaction/lazy';
import { AttendancePanel } from './attendance-panel';
import { CertificatesPanel } from './certificates-panel';
import { CourseForm } from './course-form';
import { RosterPanel } from './roster-panel';
import { SessionsPanel } from './sessions-panel';
import { lifecycleActions, Msg } from './shared';
import { SignatoryWarning } from './signatory-warning';

export function AdminCourse({ id }: Record<string, string>) {
  useLang();
  const state = useLoad(async () => ({ course: await api.course(id!), sessions: await api.courseSessions(id!) }), [id]);
  const [msg, setMsg] = useState<Msg>(null);
  const [edit, setEdit] = useState(false);
  const setStatus = async (status: CourseStatus) => {
    setMsg(null);
    try {
      const updated = await api.setCourseStatus(id!, status);
      state.reload();
      setMsg({ kind: 'success', text: t('statusNow', { s: t(`status_${updated.status}`) }) });
    } catch (e) {
      setMsg({ kind: 'error', text: errorMessage(e) });
    }
  };
  return (
    <Loaded state={state}>
      {({ course, sessions }) => (
        <>
          <p>
            <a href="#/admin/kursus">← {t('adminCourses')}</a>
          </p>
          <PageTitle>{course.title}</PageTitle>
          <div class="card-tags">
            <Badge>{course.code}</Badge>
            <Badge>{typeLabel(course.type)}</Badge>
            <Badge tone={course.status === 'published' || course.status === 'ongoing' ? 'ok' : 'muted'}>
              <span data-testid="course-status">{t(`status_${course.status}`)}</span>
            </Badge>
          </div>
          {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
          <div class="row" data-testid="lifecycle">
            {lifecycleActions(course.allowedTransitions).map(({ to, label }) => (
              <button
                key={to}
                type="button"
                class={to === 'cancelled' ? 'btn btn-danger' : to === 'published' ? 'btn btn-primary' : 'btn'}
                data-testid={to === 'published' ? 'publish' : `status-${to}`}
                onClick={() => {
                  if (to === 'cancelled' && !confirm(`${t('cancelCourse')}?`)) return;
                  void setStatus(to);
                }}
              >
                {t(label)}
              </button>
            ))}
            <button
              type="button"
              class="btn"
              aria-expanded={edit}
              onClick={() => setEdit(!edit)}
              data-testid="edit-course"
            >
              ✎ {t('editCourse')}
            </button>
          </div>
          {edit && (
            <CourseForm
              course={course}
              onSaved={() => {
                setEdit(false);
                state.reload();
              }}
            />
          )}
          <SessionsPanel
            courseId={course.id}
            sessions={sessions}
            reload={state.reload}
            canAdd={course.status !== 'completed' && course.status !== 'cancelled'}
          />
          <RosterPanel courseId={course.id} />
          <AttendancePanel sessions={sessions} />
          {course.certificate.enabled && <SignatoryWarning />}
          <CertificatesPanel courseId={course.id} />
          <MaterialsPanel courseId={course.id} canUpload />
          <AssessmentStaffPanelLazy courseId={course.id} />
          <RecordingsPanelLazy courseId={course.id} />
          <CoursePollsPanelLazy courseId={course.id} sessions={sessions} />
        </>
      )}
    </Loaded>
  );
}
