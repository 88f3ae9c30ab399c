import { HttpStatus, Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppException, AuthUser } from '@balai/common';
import { badRequest, forbidden, notFound } from '../common/errors';
import { CourseAccess } from '../courses/course-access';
import { MaterialResponseDto } from './dto/material.dto';
import { CONTENT_TYPES, KIND_BY_EXTENSION, sniffKind } from './file-type';
import { MaterialRecord, MaterialRepository } from './material.repository';
import { MaterialStorage } from './material.store';

export interface UploadedFileLike {
  originalname: string;
  buffer: Buffer;
  size: number;
}

const toResponse = (m: MaterialRecord): MaterialResponseDto => ({
  id: String(m._id),
  courseId: String(m.courseId),
  filename: m.filename,
  kind: m.kind,
  contentType: m.contentType,
  size: m.size,
  sha256: m.sha256,
  uploadedBy: String(m.uploadedBy),
  createdAt: m.createdAt.toISOString(),
});

/** Keep names printable and short; path separators and control characters removed. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  // eslint-disable-next-line no-control-regex
  return base.replace(/[\x00-\x1f\x7f"]/g, '').slice(-200) || 'file';
}

@Injectable()
export class MaterialsService {
  constructor(
    private readonly materials: MaterialRepository,
    private readonly storage: MaterialStorage,
    private readonly access: CourseAccess,
  ) {}

  /** Admin or a trainer of the course. The type must match both the content and the extension. */
  async upload(actor: AuthUser, courseId: string, file: UploadedFileLike | undefined): Promise<MaterialResponseDto> {
    const course = await this.access.forStaff(actor, courseId);
    if (!file || !file.buffer?.length) {
      throw badRequest('FILE_REQUIRED', {
        id: 'Pilih berkas untuk diunggah (field "file").',
        en: 'Choose a file to upload (field "file").',
      });
    }
    const filename = cleanName(file.originalname);
    const extension = filename.includes('.') ? filename.split('.').pop()!.toLowerCase() : '';
    const claimed = KIND_BY_EXTENSION[extension];
    const actual = sniffKind(file.buffer);
    if (!claimed || !actual || claimed !== actual) {
      throw new AppException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_FILE_TYPE', {
        id: 'Jenis berkas tidak didukung. Gunakan PDF, PPTX, DOCX, PNG atau JPEG.',
        en: 'Unsupported file type. Use PDF, PPTX, DOCX, PNG or JPEG.',
      });
    }
    const contentType = CONTENT_TYPES[actual];
    const fileId = await this.storage.put(filename, contentType, file.buffer);
    try {
      const record = await this.materials.create({
        courseId: course._id,
        fileId,
        filename,
        kind: actual,
        contentType,
        size: file.size,
        sha256: createHash('sha256').update(file.buffer).digest('hex'),
        uploadedBy: new Types.ObjectId(actor.id),
      });
      return toResponse(record);
    } catch (error) {
      await this.storage.remove(fileId);
      throw error;
    }
  }

  /** Admin, the course's trainers, and seated (enrolled) participants. */
  async list(actor: AuthUser, courseId: string): Promise<MaterialResponseDto[]> {
    const course = await this.access.forMember(actor, courseId, true);
    return (await this.materials.byCourse(course._id)).map(toResponse);
  }

  async download(actor: AuthUser, id: string): Promise<{ material: MaterialResponseDto; stream: Readable }> {
    const material = await this.load(id);
    await this.access.forMember(actor, String(material.courseId), true);
    return { material: toResponse(material), stream: this.storage.open(material.fileId) };
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    const material = await this.load(id);
    const course = await this.access.load(String(material.courseId));
    if (actor.role !== 'admin' && !this.access.isTrainerOf(actor, course)) throw forbidden();
    await this.materials.delete(material._id);
    await this.storage.remove(material.fileId);
  }

  private async load(id: string): Promise<MaterialRecord> {
    const material = await this.materials.findById(id);
    if (!material) throw notFound({ id: 'Materi tidak ditemukan.', en: 'Material not found.' });
    return material;
  }
}
