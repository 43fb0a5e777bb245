import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier, Certificate, ContentInfo, MessageImprint, SignedData, TimeStampReq, TimeStampResp, TSTInfo } from 'pkijs';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const SIGNED_DATA = '1.2.840.113549.1.7.2';
const TST_INFO = '1.2.840.113549.1.9.16.1.4';
const EXTENDED_KEY_USAGE = '2.5.29.37';
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
/** A reply is a token and a certificate or two: anything far larger is not a time-stamping authority's. */
const MAX_REPLY_BYTES = 256 * 1024;

/** The certificates a time stamp must lead to: the authority's own, or the CA that issued it (TSA_CERT_FILE). */
export interface TimeStampTrust {
  certificates: Certificate[];
}

export class TimeStampError extends Error {}

/** Reads one or more PEM certificates. Throws naming the file when there is none. */
export function loadTimeStampTrust(file: string): TimeStampTrust {
  const pem = readFileSync(file, 'utf8');
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new Error(`TSA_CERT_FILE ${file} holds no PEM certificate`);
  return { certificates: blocks.map((b) => Certificate.fromBER(toArrayBuffer(Buffer.from(b[1].replace(/\s+/g, ''), 'base64')))) };
}

/**
 * Asks an RFC 3161 authority to time-stamp a SHA-256 digest (`application/timestamp-query` over HTTP), and
 * keeps its token only once it verifies: signed by a certificate that leads to the trusted one, for this
 * digest and this request's nonce. The timeout bounds the whole exchange, so a slow authority holds nothing up.
 */
export async function requestTimeStamp(
  settings: { url: string; timeoutMs: number; trust: TimeStampTrust },
  digestHex: string,
  data: Buffer,
): Promise<{ token: Buffer; stampedAt: Date }> {
  const nonce = randomBytes(8);
  nonce[0] &= 0x7f; // a positive INTEGER
  const request = new TimeStampReq({
    version: 1,
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({ algorithmId: SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(Buffer.from(digestHex, 'hex')) }),
    }),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: true,
  });
  let body: Buffer;
  try {
    const response = await fetch(settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: Buffer.from(request.toSchema().toBER()),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!response.ok) throw new TimeStampError(`the authority answered HTTP ${response.status}`);
    if (Number(response.headers.get('content-length') ?? 0) > MAX_REPLY_BYTES) throw new TimeStampError('the reply is too large');
    body = Buffer.from(await response.arrayBuffer());
    if (body.length > MAX_REPLY_BYTES) throw new TimeStampError('the reply is too large');
  } catch (error) {
    if (error instanceof TimeStampError) throw error;
    const e = error as Error & { cause?: Error };
    throw new TimeStampError(e.name === 'TimeoutError' ? `no answer within ${settings.timeoutMs} ms` : `cannot reach the authority: ${e.cause?.message ?? e.message}`);
  }

  let reply: TimeStampResp;
  try {
    reply = TimeStampResp.fromBER(toArrayBuffer(body));
  } catch {
    throw new TimeStampError('the reply is not an RFC 3161 TimeStampResp');
  }
  // 0 granted, 1 granted with modifications; anything else is a refusal, with the authority's reasons.
  if (reply.status.status > 1 || !reply.timeStampToken) {
    const reasons = reply.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    throw new TimeStampError(`the authority refused (status ${reply.status.status}${reasons ? `: ${reasons}` : ''})`);
  }
  const token = Buffer.from(reply.timeStampToken.toSchema().toBER());
  const { stampedAt, nonce: echoed } = await verifyTimeStamp(token, digestHex, data, settings.trust);
  if (!echoed || !Buffer.from(echoed).equals(Buffer.from(stripLeadingZeros(nonce)))) {
    throw new TimeStampError('the token does not carry this request’s nonce: it answers another request');
  }
  return { token, stampedAt };
}

/**
 * Checks a kept token: a CMS SignedData over a TSTInfo whose message imprint is SHA-256 of `data` (= digestHex),
 * signed by a certificate for time-stamping (extended key usage timeStamping, critical, as RFC 3161 §2.3 asks)
 * that leads to a trusted certificate. Without trust, only that the token is whole and signed by the
 * certificate it carries, and for this digest. Throws a TimeStampError saying what does not hold.
 */
export async function verifyTimeStamp(
  token: Buffer,
  digestHex: string,
  data: Buffer,
  trust?: TimeStampTrust,
): Promise<{ stampedAt: Date; trusted: boolean; nonce?: ArrayBuffer }> {
  let signed: SignedData;
  let info: TSTInfo;
  try {
    const content = ContentInfo.fromBER(toArrayBuffer(token));
    if (content.contentType !== SIGNED_DATA) throw new Error();
    signed = new SignedData({ schema: content.content });
    if (signed.encapContentInfo.eContentType !== TST_INFO || !signed.encapContentInfo.eContent) throw new Error();
    info = TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
  } catch {
    throw new TimeStampError('the token is not an RFC 3161 time-stamp token (it does not parse)');
  }
  if (info.messageImprint.hashAlgorithm.algorithmId !== SHA256) throw new TimeStampError('the token stamps another kind of digest than SHA-256');
  const imprint = Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).toString('hex');
  if (imprint !== digestHex) throw new TimeStampError(`the token stamps ${imprint}, not the heads' digest ${digestHex}`);

  let signer: Certificate | undefined;
  try {
    const verify = (checkChain: boolean) =>
      signed.verify({ signer: 0, data: toArrayBuffer(data), trustedCerts: trust?.certificates ?? [], checkChain, extendedMode: true });
    const result = await verify(false);
    if (!result.signatureVerified) throw new TimeStampError('the token’s signature does not verify');
    signer = result.signerCertificate ?? undefined;
    // The authority's own certificate may be the one trusted (pinned); otherwise its chain must lead to one.
    const pinned = signer && trust?.certificates.some((c) => Buffer.from(c.toSchema().toBER()).equals(Buffer.from(signer!.toSchema().toBER())));
    if (trust && !pinned) await verify(true);
  } catch (error) {
    if (error instanceof TimeStampError) throw error;
    const e = error as { message?: string };
    throw new TimeStampError(`the token does not verify: ${e.message ?? String(error)}`);
  }
  const usage = signer?.extensions?.find((x) => x.extnID === EXTENDED_KEY_USAGE);
  const purposes = (usage?.parsedValue as { keyPurposes?: string[] } | undefined)?.keyPurposes ?? [];
  if (!usage?.critical || !purposes.includes(TIME_STAMPING)) {
    throw new TimeStampError('the token is signed by a certificate that is not for time-stamping (critical extended key usage timeStamping)');
  }
  return { stampedAt: info.genTime, trusted: Boolean(trust), nonce: info.nonce?.valueBlock.valueHexView.slice().buffer };
}

function toArrayBuffer(bytes: Buffer | Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function stripLeadingZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && bytes[i + 1] < 0x80) i++;
  return bytes.subarray(i);
}
