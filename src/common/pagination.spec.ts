import { Keyset, nextPageUrl } from './pagination';
import { ValidationProblem } from './problem';

describe('keyset cursors', () => {
  const people = new Keyset('people', ['text', 'uuid']);
  const id = '3f2c8a4e-1b2d-4c5e-8f90-123456789abc';

  it('give back the key they were made from', () => {
    expect(people.decode(people.encode(['Åse Øvre', id]))).toEqual(['Åse Øvre', id]);
    expect(people.decode(undefined)).toEqual([null, null]);
  });

  it.each([
    ['garbage', 'garbage'],
    ['an empty cursor', ''],
    ['an edited key', (() => {
      const [body, check] = people.encode(['Anne', id]).split('.');
      const edited = Buffer.from(Buffer.from(body, 'base64url').toString().replace('Anne', 'Arne')).toString('base64url');
      return `${edited}.${check}`;
    })()],
    ['a cut-off cursor', people.encode(['Anne', id]).slice(0, -2)],
    ["another list's cursor", new Keyset('recipients', ['text', 'uuid']).encode(['Anne', id])],
    ['a key of the wrong types', people.encode([42, id])],
    ['a key of the wrong length', people.encode(['Anne'])],
    ['a text key with a lone surrogate', people.encode(['\ud800', id])],
  ])('refuse %s, naming the field', (_, cursor) => {
    expect(() => people.decode(cursor)).toThrow(ValidationProblem);
    try {
      people.decode(cursor);
    } catch (e) {
      expect((e as ValidationProblem).errors?.map((p) => p.field)).toEqual(['cursor']);
    }
  });

  it('check dates and instants as PostgreSQL writes them', () => {
    const rows = new Keyset('rows', ['date', 'timestamp', 'int']);
    expect(rows.decode(rows.encode(['2027-02-28', '2027-02-10T09:00:00.123456+01:00', 7]))).toEqual(['2027-02-28', '2027-02-10T09:00:00.123456+01:00', 7]);
    expect(() => rows.decode(rows.encode(['2027-02-30', '2027-02-10T09:00:00+01:00', 7]))).toThrow(ValidationProblem);
    expect(() => rows.decode(rows.encode(['2027-02-28', 'yesterday', 7]))).toThrow(ValidationProblem);
    expect(() => rows.decode(rows.encode(['2027-02-28', '2027-02-10T09:00:00Z', 1.5]))).toThrow(ValidationProblem);
  });

  it('page rows fetched one past the limit', () => {
    const rows = [1, 2, 3].map((n) => ({ n, sort_key: [n] }));
    const list = new Keyset('numbers', ['int']);
    const first = list.page(rows, 2, 3, (r) => r.n);
    expect(first).toMatchObject({ items: [1, 2], total: 3, limit: 2 });
    expect(list.decode(first.nextCursor!)).toEqual([2]);
    expect(list.page(rows.slice(2), 2, 3, (r) => r.n)).toEqual({ items: [3], total: 3, limit: 2, nextCursor: null });
  });

  it('put the condition after the cursor in SQL, ascending or descending', () => {
    expect(people.after('p.display_name, p.id', 2)).toBe('($2::text IS NULL OR (p.display_name, p.id) > ($2::text, $3::uuid))');
    expect(new Keyset('log', ['int']).after('l.id', 5, 'desc')).toBe('($5::bigint IS NULL OR (l.id) < ($5::bigint))');
  });

  it('link the next page by the same path and query', () => {
    expect(nextPageUrl('/api/v1/people?limit=50&cursor=old', 'new.cursor')).toBe('/api/v1/people?limit=50&cursor=new.cursor');
    expect(nextPageUrl('/api/v1/recipients?unitId=abc', 'c')).toBe('/api/v1/recipients?unitId=abc&cursor=c');
  });
});
