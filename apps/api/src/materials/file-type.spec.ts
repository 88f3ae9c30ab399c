import { sniffKind } from './file-type';

describe('sniffKind', () => {
  const zip = (...names: string[]) =>
    Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), ...names.map((n) => Buffer.from(n))]);

  it('recognises each allowed type by its first bytes', () => {
    expect(sniffKind(Buffer.from('%PDF-1.7 ...'))).toBe('pdf');
    expect(sniffKind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(sniffKind(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffKind(zip('[Content_Types].xml', 'ppt/presentation.xml'))).toBe('pptx');
    expect(sniffKind(zip('[Content_Types].xml', 'word/document.xml'))).toBe('docx');
  });

  it('refuses anything else, including plain ZIPs and renamed executables', () => {
    expect(sniffKind(zip('readme.txt'))).toBeNull();
    expect(sniffKind(zip('[Content_Types].xml', 'xl/workbook.xml'))).toBeNull();
    expect(sniffKind(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(sniffKind(Buffer.from('<svg onload=alert(1)>'))).toBeNull();
    expect(sniffKind(Buffer.alloc(0))).toBeNull();
  });
});
