/** Enrolled participants and the waitlist in promotion order. */
import { api, RosterEntry } from '../../api/client';
import { t } from '../../i18n';
import { Column, DataTable } from '../../table';
import { Loaded, useLoad } from '../../ui';

/** Built per render so the headers follow the language switch. */
const person = (): Array<Column<RosterEntry>> => [
  { header: t('name'), cell: (r) => r.name },
  { header: t('businessName'), cell: (r) => r.businessName ?? '' },
  { header: t('kecamatan'), cell: (r) => r.kecamatan ?? '' },
  { header: t('whatsapp'), cell: (r) => r.whatsapp ?? '' },
];

export function RosterPanel({ courseId }: { courseId: string }) {
  const state = useLoad(() => api.roster(courseId), [courseId]);
  return (
    <section>
      <Loaded state={state}>
        {(r) => (
          <>
            <h2>
              {t('roster')} ({r.enrolled.length}/{r.capacity})
            </h2>
            <DataTable rows={r.enrolled} rowKey={(e) => e.enrollmentId} columns={person()} testId="roster" />
            <h3>
              {t('waitlist')} ({r.waitlist.length})
            </h3>
            <DataTable
              rows={r.waitlist}
              rowKey={(e) => e.enrollmentId}
              columns={[{ header: '#', numeric: true, cell: (_, i) => i + 1 }, ...person()]}
              testId="waitlist"
            />
          </>
        )}
      </Loaded>
    </section>
  );
}
