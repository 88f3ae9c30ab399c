import { findNulCharacter } from './validation.pipe';

describe('findNulCharacter', () => {
  it('finds U+0000 in nested strings and keys and names the path', () => {
    expect(findNulCharacter({ title: 'ok', items: [{ text: 'a' }, { text: 'b\u0000' }] })).toBe('items.1.text');
    expect(findNulCharacter({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(findNulCharacter('x\u0000', 'q')).toBe('q');
    expect(findNulCharacter('\u0000')).toBe('');
  });

  it('passes values without it, buffers included', () => {
    expect(findNulCharacter({ a: 'b', n: 1, none: null, list: [true, 'c'] })).toBeUndefined();
    expect(findNulCharacter(Buffer.from([0, 1, 2]))).toBeUndefined();
    expect(findNulCharacter(undefined)).toBeUndefined();
  });
});
