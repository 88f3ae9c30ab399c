/**
 * Certificates of a course: who qualifies and who does not (each participant's
 * attendance over the sessions as held, and the reason), from when they can be
 * issued, issuing with live progress, and the issued list with revocation.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, Certificate, EligibilityRow, IssueProgress } from '../../api/client';
import { errorMessage } from '../../errors';
import { Key, t } from '../../i18n';
import { DataTable } from '../../table';
import { formatDateTime } from '../../time';
import { Alert, Badge, Loaded, useLoad } from '../../ui';
import { minutes, Msg } from './shared';

/** Every reason the API gives (typed from its document: a new one fails the type check here). */
const REASONS: Record<NonNullable<EligibilityRow['reason']>, Key> = {
  BELOW_THRESHOLD: 'reason_BELOW_THRESHOLD',
  NOT_ENROLLED: 'reason_NOT_ENROLLED',
  NO_SESSIONS: 'reason_NO_SESSIONS',
  CERTIFICATES_DISABLED: 'reason_CERTIFICATES_DISABLED',
  POST_TEST_MISSING: 'reason_POST_TEST_MISSING',
  POST_TEST_BELOW_MINIMUM: 'reason_POST_TEST_BELOW_MINIMUM',
  EVALUATION_MISSING: 'reason_EVALUATION_MISSING',
};

function verdict(r: EligibilityRow, min: number): string {
  if (r.certified) return t('certValid');
  if (r.eligible) return t('eligible');
  return t(r.reason ? REASONS[r.reason] : 'reason_NOT_ELIGIBLE', { p: Math.round(r.attendancePercent), min });
}

function EligibilityTable({ rows, scheduled, min }: { rows: EligibilityRow[]; scheduled: number; min: number }) {
  return (
    <DataTable<EligibilityRow>
      rows={rows}
      rowKey={(r) => r.userId}
      testId="eligibility"
      caption={t('eligibilityTitle', { min })}
      columns={[
        { header: t('name'), cell: (r) => r.name },
        {
          header: t('attendance'),
          cell: (r) =>
            `${t('attendedMinutes', { m: minutes(r.attendedMinutes), t: minutes(scheduled) })} (${Math.round(r.attendancePercent)}%)`,
        },
        {
          header: t('reason'),
          cell: (r) => <span data-eligible={r.eligible || r.certified ? 'yes' : 'no'}>{verdict(r, min)}</span>,
        },
      ]}
    />
  );
}

export function CertificatesPanel({ courseId }: { courseId: string }) {
  const list = useLoad(() => api.courseCertificates(courseId), [courseId]);
  const eligibility = useLoad(() => api.certificateEligibility(courseId), [courseId]);
  const [progress, setProgress] = useState<IssueProgress | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  useEffect(() => {
    if (!progress || progress.state !== 'running') return;
    const timer = setInterval(async () => {
      try {
        const p = await api.issueProgress(courseId);
        setProgress(p);
        if (p.state !== 'running') {
          list.reload();
          eligibility.reload();
        }
      } catch {
        /* keep polling */
      }
    }, 1500);
    return () => clearInterval(timer);
  }, [progress?.state]);
  const pct = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <section>
      <h2>{t('certificates')}</h2>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <Loaded state={eligibility}>
        {(e) => (
          <>
            {!e.allSessionsEnded && e.issuableFrom && (
              <p class="hint" data-testid="issuable-from">
                {t('issuableFrom', { t: formatDateTime(e.issuableFrom) })}
              </p>
            )}
            {e.allSessionsEnded && e.participants.length > 0 && e.eligibleCount === 0 && (
              <Alert kind="warn">{t('noneQualify', { min: e.minAttendancePercent })}</Alert>
            )}
            <button
              type="button"
              class="btn btn-primary"
              data-testid="issue-certificates"
              disabled={!e.certificatesEnabled}
              onClick={async () => {
                setMsg(null);
                try {
                  const r = await api.issueCertificates(courseId);
                  setProgress({ ...r, state: r.state === 'idle' && r.enqueued > 0 ? 'running' : r.state });
                  if (r.enqueued === 0 && r.done === 0)
                    setMsg({ kind: 'warn', text: t('noneQualify', { min: r.minAttendancePercent }) });
                  eligibility.reload();
                } catch (err) {
                  setMsg({ kind: 'error', text: errorMessage(err) });
                }
              }}
            >
              {t('issueCertificates')}
            </button>
            {progress && (
              <div aria-live="polite" data-testid="issue-progress" data-state={progress.state}>
                <p>
                  {progress.state === 'running'
                    ? t('issuing', { done: progress.done, total: progress.total })
                    : t('issueDone', { n: progress.done })}
                </p>
                <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                  <span style={{ width: `${pct}%` }} />
                </div>
                {progress.failures.length ? (
                  <Alert kind="error">{progress.failures.map((f) => f.reason).join('; ')}</Alert>
                ) : null}
              </div>
            )}
            <h3>{t('eligibilityTitle', { min: e.minAttendancePercent })}</h3>
            <EligibilityTable rows={e.participants} scheduled={e.scheduledMinutes} min={e.minAttendancePercent} />
          </>
        )}
      </Loaded>
      <h3>{t('issuedTitle')}</h3>
      <Loaded state={list}>
        {(certs) => (
          <DataTable<Certificate>
            rows={certs}
            rowKey={(c) => c.id}
            testId="certificates"
            columns={[
              { header: t('certNumber'), cell: (c) => c.number },
              { header: t('holder'), cell: (c) => c.participantName },
              {
                header: t('filterStatus'),
                cell: (c) =>
                  c.status === 'valid' ? (
                    <Badge tone="ok">{t('certValid')}</Badge>
                  ) : (
                    <Badge tone="warn">{t('certRevoked')}</Badge>
                  ),
              },
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
                        } catch (err) {
                          setMsg({ kind: 'error', text: errorMessage(err) });
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
    </section>
  );
}
