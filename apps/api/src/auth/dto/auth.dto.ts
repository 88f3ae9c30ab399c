import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_PATTERN, PASSWORD_RULE } from '../../users/dto/ikm-profile.dto';
import { UserResponseDto } from '../../users/dto/user.dto';

const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class LoginDto {
  @ApiProperty({ example: 'admin@balai.local' })
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'Alamat email tidak valid / Not a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Balai12345' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login or the last refresh' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  refreshToken!: string;
}

export class PasswordResetRequestDto {
  @ApiProperty()
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'Alamat email tidak valid / Not a valid email address' })
  @MaxLength(254)
  email!: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'Token from the reset link' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token!: string;

  @ApiProperty({ minLength: 8 })
  @IsString({ message: PASSWORD_RULE.message })
  @Matches(PASSWORD_PATTERN, { message: PASSWORD_RULE.message })
  newPassword!: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'HS256 JWT, short-lived; send as Bearer' }) accessToken!: string;
  @ApiProperty({ description: 'Opaque, single-use; rotate with /auth/refresh' }) refreshToken!: string;
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expiresIn!: number;
}

export class RegisterResponseDto extends TokenPairDto {
  @ApiProperty({ type: UserResponseDto }) user!: UserResponseDto;
}
