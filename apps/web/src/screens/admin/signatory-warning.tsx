/**
 * Warns while the certificate signatory settings are still the shipped
 * placeholders ("Nama Kepala Dinas", a dummy NIP): certificates issued now would
 * carry them. Asked once per page load; silent if the API cannot say.
 */
import { api } from '../../api/client';
import { t } from '../../i18n';
import { Alert, useLoad } from '../../ui';

export function SignatoryWarning() {
  const state = useLoad(() => api.certificateSettings().catch(() => null), []);
  const names = state.data?.placeholderSignatory ?? [];
  if (!names.length) return null;
  return (
    <Alert kind="warn">
      <span data-testid="signatory-warning">
        <strong>{t('signatoryDefaultTitle')}</strong> {t('signatoryDefaultBody', { vars: names.join(', ') })}
      </span>
    </Alert>
  );
}
