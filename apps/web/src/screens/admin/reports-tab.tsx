/**
 * Participation by sector and by kecamatan. The four people columns count
 * distinct people (so each is at most "Peserta"); "Pendaftaran" counts
 * enrolments, where a person in two trainings counts twice.
 */
import { useState } from 'preact/hooks';
import { SECTORS, Sector } from '@balai/domain';
import { api, ReportRow } from '../../api/client';
import { errorMessage } from '../../errors';
import { t, useLang } from '../../i18n';
import { DataTable } from '../../table';
import { Alert, Loaded, useLoad } from '../../ui';

function ReportTable({ dimension }: { dimension: 'sector' | 'kecamatan' }) {
  const lang = useLang();
  const state = useLoad(() => api.reportBy(dimension), [dimension]);
  const [msg, setMsg] = useState<string | null>(null);
  const label = (r: ReportRow) =>
    dimension === 'sector' && r.group in SECTORS ? SECTORS[r.group as Sector][lang] : r.label || r.group;
  return (
    <section>
      <div class="row">
        <h2 class="grow">{dimension === 'sector' ? t('bySector') : t('byKecamatan')}</h2>
        <button
          type="button"
          class="btn"
          onClick={() => api.reportCsv(dimension).catch((e: unknown) => setMsg(errorMessage(e)))}
        >
          {t('exportCsv')}
        </button>
      </div>
      {msg && <Alert kind="error">{msg}</Alert>}
      <Loaded state={state}>
        {(rows) => (
          <DataTable<ReportRow>
            rows={rows}
            rowKey={(r) => r.group}
            testId={`report-${dimension}`}
            columns={[
              { header: dimension === 'sector' ? t('sector') : t('kecamatan'), cell: label },
              { header: t('participantsCount'), numeric: true, cell: (r) => r.participants },
              { header: t('attendedCount'), numeric: true, cell: (r) => r.attendedAtLeastOnce },
              { header: t('metCount'), numeric: true, cell: (r) => r.metThreshold },
              { header: t('certifiedCount'), numeric: true, cell: (r) => r.certified },
              { header: t('enrolmentsCount'), numeric: true, cell: (r) => r.enrollments },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}

export function ReportsTab() {
  return (
    <>
      <p class="hint">{t('reportUnits')}</p>
      <ReportTable dimension="sector" />
      <ReportTable dimension="kecamatan" />
    </>
  );
}
