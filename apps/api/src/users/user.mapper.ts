import type { UserResponseDto } from './dto/user.dto';
import type { UserRecord } from './user.repository';

/** Never includes the password hash. */
export function toUserResponse(user: UserRecord): UserResponseDto {
  const out: UserResponseDto = {
    id: String(user._id),
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    locale: user.locale,
    createdAt: user.createdAt.toISOString(),
  };
  if (user.ikm) {
    const { businessName, ownerName, nib, sector, kecamatan, address, whatsapp } = user.ikm;
    out.ikm = { businessName, ownerName, nib, sector, kecamatan, address, whatsapp };
  }
  return out;
}
