import { execFileSync } from 'node:child_process';
import { canonicalJson, seal, GENESIS_HASH, RecordContent } from './canonical';

const record: RecordContent = {
  v: 1,
  id: '11111111-1111-4111-8111-111111111111',
  municipalityId: '22222222-2222-4222-8222-222222222222',
  unitId: '33333333-3333-4333-8333-333333333333',
  sequence: 1,
  occurrenceId: '44444444-4444-4444-8444-444444444444',
  kind: 'sign_off',
  outcome: 'done',
  late: false,
  comment: 'Gjennomført på personalmøtet – «æøå»',
  storedIn: 'Compilo',
  evidenceUrl: null,
  signedBy: '55555555-5555-4555-8555-555555555555',
  signedByName: 'Anne Avdelingsleder',
  signedAt: '2027-02-26T14:03:00.000Z',
  supersedesId: null,
  reason: null,
  snapshot: { wheelName: 'Årshjul for ledere', taskTitle: 'Planlegg HMS-dag', deadline: '2027-02-26' },
  previousHash: GENESIS_HASH,
};

describe('the canonical form of a record', () => {
  it('sorts keys at every level and leaves no spaces', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}');
  });

  it('does not depend on the order the fields were given in', () => {
    const shuffled = Object.fromEntries(Object.entries(record).reverse()) as unknown as RecordContent;
    expect(seal(shuffled)).toEqual(seal(record));
  });

  it('changes its hash when any field changes', () => {
    expect(seal({ ...record, comment: 'Gjennomført på personalmøtet – «æøa»' }).hash).not.toBe(seal(record).hash);
    expect(seal({ ...record, snapshot: { ...record.snapshot, deadline: '2027-02-27' } }).hash).not.toBe(seal(record).hash);
  });

  it('hashes to what sha256sum computes over the line, so auditors need no Årshjul code', () => {
    const { line, hash } = seal(record);
    expect(execFileSync('sha256sum', { input: line }).toString().split(' ')[0]).toBe(hash);
  });
});
