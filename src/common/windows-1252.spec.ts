import { decodeWindows1252 } from './windows-1252';

describe('decodeWindows1252', () => {
  it('reads the bytes Excel writes for æøå, the euro sign, curly quotes and dashes', () => {
    const bytes = Buffer.from([0xe6, 0xf8, 0xe5, 0xc6, 0xd8, 0xc5, 0x20, 0x80, 0x20, 0x93, 0x61, 0x94, 0x20, 0x96, 0x20, 0x97]);
    expect(decodeWindows1252(bytes)).toBe('æøåÆØÅ € “a” – —');
  });

  it('leaves the bytes the standard does not define as they are', () => {
    expect(decodeWindows1252(Buffer.from([0x81, 0x8d]))).toBe('\u0081\u008d');
  });
});
