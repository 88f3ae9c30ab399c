import { HttpStatus, Injectable, PipeTransform } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppException } from '@balai/common';

/** Route ids must be 24-hex ObjectIds; anything else is a 400, never a CastError 500. */
@Injectable()
export class ParseObjectIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !/^[0-9a-fA-F]{24}$/.test(value) || !Types.ObjectId.isValid(value)) {
      throw new AppException(HttpStatus.BAD_REQUEST, 'INVALID_ID', {
        id: 'Format ID tidak valid.',
        en: 'Malformed id.',
      });
    }
    return value.toLowerCase();
  }
}

export function oid(id: string): Types.ObjectId {
  return new Types.ObjectId(id);
}
