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

/** A certificate with every field filled, about as long as a real one (what a render thread draws to warm up). */
export const SAMPLE_CERTIFICATE: CertificateDocumentData = {
  number: '001/IKM-WARM/XII/2026',
  verificationUrl: 'http://localhost/verify/warm-up-warm-up-warm-up0',
  participantName: 'Siti Nurhaliza Rahmawati',
  businessName: 'UD Sumber Rejeki Makmur',
  courseTitle: 'Peningkatan Mutu Produk dan Pemasaran Digital IKM',
  courseType: 'pelatihan',
  dateRange: '3 s.d. 5 Maret 2026',
  lessonHours: 16,
  placeAndDate: 'Cikarang, 5 Maret 2026',
};
