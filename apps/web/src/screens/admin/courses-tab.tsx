/** All courses with their status, schedule and seats; "Pelatihan baru". */
import { useState } from 'preact/hooks';
import { api, Course } from '../../api/client';
import { t } from '../../i18n';
import { navigate } from '../../router';
import { DataTable } from '../../table';
import { formatDate } from '../../time';
import { Loaded, useLoad } from '../../ui';
import { CourseForm } from './course-form';

export function CoursesTab() {
  const [showNew, setShowNew] = useState(false);
  const state = useLoad(() => api.adminCourses({}), []);
  return (
    <>
      <div class="row">
        <button
          type="button"
          class="btn btn-primary"
          aria-expanded={showNew}
          onClick={() => setShowNew(!showNew)}
          data-testid="new-course"
        >
          + {t('newCourse')}
        </button>
      </div>
      {showNew && <CourseForm onSaved={(c) => navigate(`/admin/kursus/${c.id}`)} />}
      <Loaded state={state}>
        {(p) => (
          <DataTable<Course>
            rows={p.items}
            rowKey={(c) => c.id}
            caption={t('adminCourses')}
            columns={[
              { header: t('code'), cell: (c) => c.code },
              { header: t('title'), cell: (c) => <a href={`#/admin/kursus/${c.id}`}>{c.title}</a> },
              { header: t('filterStatus'), cell: (c) => t(`status_${c.status}`) },
              { header: t('schedule'), cell: (c) => (c.startsAt ? formatDate(c.startsAt) : '—') },
              { header: t('enrolledCount'), numeric: true, cell: (c) => `${c.seatsTaken}/${c.capacity}` },
            ]}
          />
        )}
      </Loaded>
    </>
  );
}
