/**
 * Windows-1252 (Excel's "CSV (semikolonseparert)" and older text files) differs from Latin-1 in 0x80–0x9F:
 * the euro sign, curly quotes, en and em dashes. Node 20's TextDecoder('windows-1252') decodes those bytes
 * as Latin-1 (C1 control characters, which the free-text check then refuses), so they are mapped here by the
 * standard's table; the five bytes it leaves undefined stay as they are.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}
