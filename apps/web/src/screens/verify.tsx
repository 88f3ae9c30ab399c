/** Public certificate verification: `#/verifikasi/<code>` or the printed `/verify/<code>`. */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { errorMessage } from '../errors';
import { t, useLang } from '../i18n';
import { navigate } from '../router';
import { formatDate } from '../time';
import { Alert, Field, Loaded, PageTitle, useLoad, val } from '../ui';

function Result({ code }: { code: string }) {
  const state = useLoad(
    () =>
      api.verify(code).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw new Error(errorMessage(e));
      }),
    [code],
  );
  return (
    <Loaded state={state}>
      {(v) =>
        !v ? (
          <Alert kind="error">{t('certNotFound')}</Alert>
        ) : (
          <div class={`verify-result ${v.status}`} data-status={v.status}>
            <p class="verify-status" role="status">
              {v.status === 'valid' ? `✔ ${t('certValid')}` : `✖ ${t('certRevoked')}`}
            </p>
            <dl>
              <dt>{t('holder')}</dt>
              <dd>
                {v.participantName}
                {v.businessName ? ` (${v.businessName})` : ''}
              </dd>
              <dt>{t('course')}</dt>
              <dd>{v.courseTitle}</dd>
              <dt>{t('certNumber')}</dt>
              <dd>{v.number}</dd>
              <dt>{t('issuedAt')}</dt>
              <dd>{formatDate(v.issuedAt)}</dd>
              {v.status === 'revoked' && (
                <>
                  <dt>{t('revokedReason')}</dt>
                  <dd>
                    {v.revokedReason ?? '-'}
                    {v.revokedAt ? ` (${formatDate(v.revokedAt)})` : ''}
                  </dd>
                </>
              )}
            </dl>
          </div>
        )
      }
    </Loaded>
  );
}

export function Verify({ code }: Record<string, string>) {
  useLang();
  const [input, setInput] = useState(code ?? '');
  return (
    <section class="narrow">
      <PageTitle>{t('verifyTitle')}</PageTitle>
      {code ? (
        <Result code={code} />
      ) : (
        <>
          <p>{t('verifyIntro')}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (input.trim()) navigate(`/verifikasi/${encodeURIComponent(input.trim())}`);
            }}
          >
            <Field label={t('verifyCode')}>
              {({ id }) => (
                <input
                  id={id}
                  value={input}
                  onInput={(e) => setInput(val(e))}
                  autoComplete="off"
                  autoCapitalize="off"
                  spellcheck={false}
                />
              )}
            </Field>
            <button class="btn btn-primary btn-block" type="submit">
              {t('verifyButton')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
