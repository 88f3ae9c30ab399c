/**
 * Fixed lists for IKM (small and medium industry) profiles in Kabupaten Bekasi.
 * Codes are stored; labels are shown. Changing a code is a data migration.
 */
export const SECTORS = {
  food_beverage: { id: 'Makanan dan minuman', en: 'Food and beverages' },
  textile_garment: { id: 'Tekstil dan pakaian jadi', en: 'Textiles and garments' },
  leather_footwear: { id: 'Kulit dan alas kaki', en: 'Leather and footwear' },
  wood_furniture: { id: 'Kayu dan furnitur', en: 'Wood and furniture' },
  craft: { id: 'Kerajinan', en: 'Crafts' },
  metal_machinery: { id: 'Logam dan mesin', en: 'Metal and machinery' },
  chemical_plastic: { id: 'Kimia dan plastik', en: 'Chemicals and plastics' },
  printing: { id: 'Percetakan', en: 'Printing' },
  electronics: { id: 'Elektronika', en: 'Electronics' },
  other: { id: 'Lainnya', en: 'Other' },
} as const;
export type Sector = keyof typeof SECTORS;
export const SECTOR_CODES = Object.keys(SECTORS) as Sector[];

/** The 23 kecamatan (districts) of Kabupaten Bekasi. */
export const KECAMATAN = [
  'Babelan',
  'Bojongmangu',
  'Cabangbungin',
  'Cibarusah',
  'Cibitung',
  'Cikarang Barat',
  'Cikarang Pusat',
  'Cikarang Selatan',
  'Cikarang Timur',
  'Cikarang Utara',
  'Karangbahagia',
  'Kedungwaringin',
  'Muaragembong',
  'Pebayuran',
  'Serang Baru',
  'Setu',
  'Sukakarya',
  'Sukatani',
  'Sukawangi',
  'Tambelang',
  'Tambun Selatan',
  'Tambun Utara',
  'Tarumajaya',
] as const;
export type Kecamatan = (typeof KECAMATAN)[number];

/** NIB (Nomor Induk Berusaha): exactly 13 digits. */
export const NIB_PATTERN = /^\d{13}$/;

/**
 * Normalise an Indonesian mobile number to E.164 (`+62...`).
 * Accepts 08xx, 628xx, +628xx with spaces, dots or dashes; returns null if it is not one.
 */
export function normalizeWhatsApp(input: string): string | null {
  const digits = input.replace(/[\s.\-()]/g, '');
  let national: string;
  if (/^\+62\d+$/.test(digits)) national = digits.slice(3);
  else if (/^62\d+$/.test(digits)) national = digits.slice(2);
  else if (/^0\d+$/.test(digits)) national = digits.slice(1);
  else return null;
  // Indonesian mobile numbers start with 8 and have 9 to 12 digits after the country code.
  if (!/^8\d{8,11}$/.test(national)) return null;
  return `+62${national}`;
}
