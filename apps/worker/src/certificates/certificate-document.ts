/** What is printed on one certificate: a snapshot, so re-rendering is never needed. */
export interface CertificateDocumentData {
  number: string;
  verificationUrl: string;
  participantName: string;
  businessName?: string;
  courseTitle: string;
  courseType: 'pelatihan' | 'sosialisasi';
  /** Already formatted in Bahasa Indonesia, e.g. "3 s.d. 5 Maret 2026". */
  dateRange: string;
  lessonHours: number;
  /** Already formatted, e.g. "Cikarang, 6 Maret 2026". */
  placeAndDate: string;
}
