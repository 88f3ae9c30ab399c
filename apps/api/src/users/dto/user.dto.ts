import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { KECAMATAN, Role, ROLES, Sector, SECTOR_CODES } from '@balai/domain';
import { OptionalNotNull, RequireSomeField } from '../../common/dto/optional-fields';
import { ApiDateTime } from '../../common/dto/openapi-fields';
import { PageMetaDto, PageQueryDto } from '../../common/pagination';
import { IkmProfileDto, PASSWORD_PATTERN, PASSWORD_RULE } from './ikm-profile.dto';

const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({ example: 'ani@example.com' })
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'Alamat email tidak valid / Not a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'rahasia123', minLength: 8, maxLength: 128 })
  @IsString({ message: PASSWORD_RULE.message })
  @Matches(PASSWORD_PATTERN, { message: PASSWORD_RULE.message })
  password!: string;

  @ApiProperty({ example: 'Ani Suryani', description: 'Name shown on certificates' })
  @Transform(trim)
  @IsString({ message: 'Nama wajib diisi / Name is required' })
  @MinLength(2, { message: 'Nama minimal 2 huruf / Name must be at least 2 characters' })
  @MaxLength(120, { message: 'Nama maksimal 120 huruf / Name is at most 120 characters' })
  name!: string;

  @ApiProperty({ type: IkmProfileDto })
  @IsDefined({ message: 'Profil IKM wajib diisi / The IKM profile (ikm) is required' })
  @IsObject({ message: 'ikm harus berupa objek / ikm must be an object' })
  @ValidateNested()
  @Type(() => IkmProfileDto)
  ikm!: IkmProfileDto;
}

export const STAFF_ROLES = ['admin', 'trainer'] as const;

export class CreateStaffDto {
  @ApiProperty({ example: 'pelatih@disperin.bekasikab.go.id' })
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'Alamat email tidak valid / Not a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 8 })
  @IsString({ message: PASSWORD_RULE.message })
  @Matches(PASSWORD_PATTERN, { message: PASSWORD_RULE.message })
  password!: string;

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  name!: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES as unknown as string[], {
    message: 'Peran harus admin atau trainer / Role must be admin or trainer',
  })
  role!: 'admin' | 'trainer';
}

/** At least one field; absent fields stay as they are and none of them can be null. */
@RequireSomeField()
export class UpdateMeDto {
  @ApiPropertyOptional({ description: 'Not nullable' })
  @OptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ enum: ['id', 'en'], description: 'Not nullable' })
  @OptionalNotNull()
  @IsIn(['id', 'en'])
  locale?: 'id' | 'en';

  @ApiPropertyOptional({
    type: IkmProfileDto,
    description: 'Participants only (others get 403): replaces the IKM profile. Not nullable.',
  })
  @OptionalNotNull()
  @IsObject({ message: 'ikm harus berupa objek / ikm must be an object' })
  @ValidateNested()
  @Type(() => IkmProfileDto)
  ikm?: IkmProfileDto;
}

export class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES as unknown as string[])
  role?: Role;

  @ApiPropertyOptional({ enum: SECTOR_CODES })
  @IsOptional()
  @IsIn(SECTOR_CODES)
  sector?: Sector;

  @ApiPropertyOptional({ enum: KECAMATAN })
  @IsOptional()
  @IsIn(KECAMATAN as unknown as string[])
  kecamatan?: string;

  @ApiPropertyOptional({ description: 'Text in name, email or business name', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class IkmProfileResponseDto {
  @ApiProperty() businessName!: string;
  @ApiProperty() ownerName!: string;
  @ApiProperty() nib!: string;
  @ApiProperty({ enum: SECTOR_CODES }) sector!: string;
  @ApiProperty({ enum: KECAMATAN }) kecamatan!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ example: '+6281234567890' }) whatsapp!: string;
}

export class UserResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() active!: boolean;
  @ApiProperty({ enum: ['id', 'en'] }) locale!: 'id' | 'en';
  @ApiPropertyOptional({ type: IkmProfileResponseDto, description: 'Participants only' }) ikm?: IkmProfileResponseDto;
  @ApiDateTime() createdAt!: string;
}

export class UserPageDto extends PageMetaDto {
  @ApiProperty({ type: [UserResponseDto] }) items!: UserResponseDto[];
}
