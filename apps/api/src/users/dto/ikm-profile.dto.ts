import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { KECAMATAN, NIB_PATTERN, normalizeWhatsApp, Sector, SECTOR_CODES } from '@balai/domain';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The IKM (small industry) profile a participant fills in when registering. */
export class IkmProfileDto {
  @ApiProperty({ example: 'Kripik Singkong Bu Ani', maxLength: 200 })
  @Transform(trim)
  @IsString({ message: 'Nama usaha wajib diisi / Business name is required' })
  @MinLength(2, { message: 'Nama usaha minimal 2 huruf / Business name must be at least 2 characters' })
  @MaxLength(200, { message: 'Nama usaha maksimal 200 huruf / Business name is at most 200 characters' })
  businessName!: string;

  @ApiProperty({ example: 'Ani Suryani', maxLength: 120 })
  @Transform(trim)
  @IsString({ message: 'Nama pemilik wajib diisi / Owner name is required' })
  @MinLength(2, { message: 'Nama pemilik minimal 2 huruf / Owner name must be at least 2 characters' })
  @MaxLength(120, { message: 'Nama pemilik maksimal 120 huruf / Owner name is at most 120 characters' })
  ownerName!: string;

  @ApiProperty({ example: '1234567890123', description: 'Nomor Induk Berusaha: exactly 13 digits' })
  @Transform(trim)
  @IsString({ message: 'NIB wajib diisi / NIB is required' })
  @Matches(NIB_PATTERN, { message: 'NIB harus 13 digit angka / NIB must be exactly 13 digits' })
  nib!: string;

  @ApiProperty({ enum: SECTOR_CODES, example: 'food_beverage' })
  @IsIn(SECTOR_CODES, {
    message: `Sektor usaha tidak dikenal; pilih salah satu: ${SECTOR_CODES.join(', ')} / Unknown business sector`,
  })
  sector!: Sector;

  @ApiProperty({ enum: KECAMATAN, example: 'Cikarang Utara' })
  @IsIn(KECAMATAN as unknown as string[], {
    message:
      'Kecamatan harus salah satu dari 23 kecamatan di Kabupaten Bekasi / Kecamatan must be one of the 23 in Kabupaten Bekasi',
  })
  kecamatan!: string;

  @ApiProperty({ example: 'Jl. Raya Cikarang No. 1', maxLength: 500 })
  @Transform(trim)
  @IsString({ message: 'Alamat wajib diisi / Address is required' })
  @MinLength(5, { message: 'Alamat terlalu pendek / Address is too short' })
  @MaxLength(500, { message: 'Alamat maksimal 500 huruf / Address is at most 500 characters' })
  address!: string;

  @ApiProperty({
    example: '0812-3456-7890',
    pattern: '^(\\+62|62|0)8\\d{8,11}$',
    description:
      'Indonesian mobile number (08..., 628... or +628..., 9-12 digits after +62); spaces, dots, dashes and parentheses are ignored; stored as +628...',
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (normalizeWhatsApp(value) ?? value) : value,
  )
  @IsString({ message: 'Nomor WhatsApp wajib diisi / WhatsApp number is required' })
  @Matches(/^\+628\d{8,11}$/, {
    message:
      'Nomor WhatsApp tidak valid, contoh: 0812 3456 7890 / Not a valid Indonesian mobile number, e.g. 0812 3456 7890',
  })
  whatsapp!: string;
}

export const PASSWORD_RULE = {
  min: 8,
  max: 128,
  message:
    'Kata sandi minimal 8 karakter dan mengandung huruf dan angka / Password needs at least 8 characters with letters and digits',
};
/** Letters and digits, 8-128 characters of anything (written without the `s` flag so it is also a valid OpenAPI pattern). */
export const PASSWORD_PATTERN = /^(?=[\s\S]*[A-Za-z])(?=[\s\S]*\d)[\s\S]{8,128}$/;
