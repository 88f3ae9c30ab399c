/** The administrator's home: tabs for courses, calendar, trainers and reports. */
import { t, useLang } from '../../i18n';
import { PageTitle } from '../../ui';
import { CalendarTab } from './calendar-tab';
import { CoursesTab } from './courses-tab';
import { ReportsTab } from './reports-tab';
import { SignatoryWarning } from './signatory-warning';
import { TrainersTab } from './trainers-tab';

function Tabs({ tab }: { tab: string }) {
  const item = (key: string, label: string) => (
    <a href={`#/admin/${key}`} aria-current={tab === key ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav class="tabs" aria-label={t('adminTitle')}>
      {item('kursus', t('adminCourses'))}
      {item('kalender', t('adminCalendar'))}
      {item('pelatih', t('adminTrainers'))}
      {item('laporan', t('adminReports'))}
    </nav>
  );
}

export function AdminHome({ tab = 'kursus' }: Record<string, string>) {
  useLang();
  return (
    <>
      <PageTitle>{t('adminTitle')}</PageTitle>
      <SignatoryWarning />
      <Tabs tab={tab} />
      {tab === 'kursus' && <CoursesTab />}
      {tab === 'kalender' && <CalendarTab />}
      {tab === 'pelatih' && <TrainersTab />}
      {tab === 'laporan' && <ReportsTab />}
    </>
  );
}
