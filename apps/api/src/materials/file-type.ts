import type { MaterialKind } from '@balai/database';

/**
 * What a file really is, from its first bytes (not its name). Office Open XML
 * files are ZIP archives; they are told apart by the part names the archive
 * stores in clear text in its local file headers.
 */
export function sniffKind(buffer: Buffer): MaterialKind | null {
  if (buffer.length >= 5 && buffer.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (buffer.length >= 8 && buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (buffer.length >= 3 && buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff) return 'jpeg';
  if (buffer.length >= 4 && buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const names = buffer.toString('latin1');
    if (!names.includes('[Content_Types].xml')) return null;
    if (names.includes('ppt/')) return 'pptx';
    if (names.includes('word/')) return 'docx';
  }
  return null;
}

export const KIND_BY_EXTENSION: Record<string, MaterialKind> = {
  pdf: 'pdf',
  pptx: 'pptx',
  docx: 'docx',
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
};

export const CONTENT_TYPES: Record<MaterialKind, string> = {
  pdf: 'application/pdf',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  png: 'image/png',
  jpeg: 'image/jpeg',
};
