/**
 * Certificates of a course: issue (with live progress), and for everyone not
 * issued their attendance and the reason, so "nobody qualifies" is explained
 * person by person; the issued list with revocation.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, Certificate, CourseAttendanceRow, IssueProgress, IssueResult } from '../../api/client';
import { errorMessage } from '../../errors';
import { Key, t } from '../../i18n';
import { DataTable } from '../../table';
import { Alert, Badge, Loaded, useLoad } from '../../ui';
import { minutes, Msg } from './shared';

type NotEligible = IssueResult['notEligible'][number];

/** The eligibility verdicts of @balai/domain (certificate-rules) in words. */
const REASONS: Record<string, Key> = {
  BELOW_THRESHOLD: 'reason_BELOW_THRESHOLD',
  NOT_ENROLLED: 'reason_NOT_ENROLLED',
  NO_SESSIONS: 'reason_NO_SESSIONS',
  CERTIFICATES_DISABLED: 'reason_CERTIFICATES_DISABLED',
};

function reasonText(reason: string, percent: number, min: number): string {
  return t(REASONS[reason] ?? 'reason_NOT_ELIGIBLE', { p: Math.round(percent), min });
}

function EligibilityTable({ rows, notEligible, min }: { rows: CourseAttendanceRow[]; notEligible: NotEligible[]; min: number }) {
  const why = new Map(notEligible.map((n) => [n.userId, n]));
  const shown = rows.filter((r) => why.has(r.userId) || !r.meetsThreshold);
  return (
    <DataTable<CourseAttendanceRow>
      rows={shown}
      rowKey={(r) => r.userId}
      testId="not-eligible"
      caption={t('notEligibleTitle')}
      columns={[
        { header: t('name'), cell: (r) => r.name },
        {
          header: t('attendance'),
          cell: (r) => `${t('attendedMinutes', { m: minutes(r.attendedMinutes), t: minutes(r.scheduledMinutes) })} (${Math.round(r.percent)}%)`,
        },
        { header: t('reason'), cell: (r) => reasonText(why.get(r.userId)?.reason ?? 'BELOW_THRESHOLD', r.percent, min) },
      ]}
    />
  );
}

export function CertificatesPanel({ courseId }: { courseId: string }) {
  const list = useLoad(() => api.courseCertificates(courseId), [courseId]);
  const attendance = useLoad(() => api.courseAttendance(courseId), [courseId]);
  const [progress, setProgress] = useState<IssueProgress | null>(null);
  const [result, setResult] = useState<IssueResult | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  useEffect(() => {
    if (!progress || progress.state !== 'running') return;
    const timer = setInterval(async () => {
      try {
        const p = await api.issueProgress(courseId);
        setProgress(p);
        if (p.state !== 'running') list.reload();
      } catch {
        /* keep polling */
      }
    }, 1500);
    return () => clearInterval(timer);
  }, [progress?.state]);
  const pct = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  const min = result?.minAttendancePercent ?? attendance.data?.minAttendancePercent ?? 0;
  return (
    <section>
      <h2>{t('certificates')}</h2>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <button
        type="button"
        class="btn btn-primary"
        data-testid="issue-certificates"
        onClick={async () => {
          setMsg(null);
          try {
            const r = await api.issueCertificates(courseId);
            setResult(r);
            setProgress({ ...r, state: r.state === 'idle' && r.enqueued > 0 ? 'running' : r.state });
            if (r.enqueued === 0 && r.done === 0) setMsg({ kind: 'warn', text: t('noneQualify', { min: r.minAttendancePercent }) });
            attendance.reload();
          } catch (e) {
            setMsg({ kind: 'error', text: errorMessage(e) });
          }
        }}
      >
        {t('issueCertificates')}
      </button>
      {progress && (
        <div aria-live="polite" data-testid="issue-progress" data-state={progress.state}>
          <p>{progress.state === 'running' ? t('issuing', { done: progress.done, total: progress.total }) : t('issueDone', { n: progress.done })}</p>
          <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <span style={{ width: `${pct}%` }} />
          </div>
          {progress.failures.length ? <Alert kind="error">{progress.failures.map((f) => f.reason).join('; ')}</Alert> : null}
        </div>
      )}
      <Loaded state={list}>
        {(certs) => (
          <DataTable<Certificate>
            rows={certs}
            rowKey={(c) => c.id}
            testId="certificates"
            empty={null}
            columns={[
              { header: t('certNumber'), cell: (c) => c.number },
              { header: t('holder'), cell: (c) => c.participantName },
              { header: t('filterStatus'), cell: (c) => (c.status === 'valid' ? <Badge tone="ok">{t('certValid')}</Badge> : <Badge tone="warn">{t('certRevoked')}</Badge>) },
              {
                header: '',
                cell: (c) =>
                  c.status === 'valid' && (
                    <button
                      type="button"
                      class="btn btn-danger"
                      onClick={async () => {
                        const reason = prompt(t('revokeReason'));
                        if (!reason || reason.trim().length < 3) return;
                        try {
                          await api.revokeCertificate(c.id, reason.trim());
                          list.reload();
                        } catch (e) {
                          setMsg({ kind: 'error', text: errorMessage(e) });
                        }
                      }}
                    >
                      {t('revoke')}
                    </button>
                  ),
              },
            ]}
          />
        )}
      </Loaded>
      <Loaded state={attendance}>
        {(a) =>
          a.rows.some((r) => !r.meetsThreshold) || result?.notEligible.length ? (
            <>
              <h3>{t('notEligibleTitle')}</h3>
              <EligibilityTable rows={a.rows} notEligible={result?.notEligible ?? []} min={min} />
            </>
          ) : list.data?.length ? null : (
            <p class="muted">{a.rows.length ? t('allQualify', { min }) : t('noParticipantsYet')}</p>
          )
        }
      </Loaded>
    </section>
  );
}
