import { mayWrite } from './tenant-tagging';

describe('which statements count as writes for read-your-writes', () => {
  it('counts every change and every transaction that may write', () => {
    for (const text of ['INSERT INTO x VALUES (1)', ' update x set a = 1', 'DELETE FROM x', 'COPY x FROM STDIN', 'BEGIN', 'START TRANSACTION', 'BEGIN ISOLATION LEVEL SERIALIZABLE', 'WITH a AS (SELECT 1) INSERT INTO x SELECT * FROM a'])
      expect({ text, writes: mayWrite(text) }).toEqual({ text, writes: true });
  });

  it('does not count reads, nor a transaction that says it is read only (a grouped read)', () => {
    for (const text of ['SELECT 1', 'WITH a AS (SELECT 1) SELECT * FROM a', 'BEGIN READ ONLY; SET LOCAL enable_sort = off', 'start transaction read only', 'BEGINNING'])
      expect({ text, writes: mayWrite(text) }).toEqual({ text, writes: false });
  });
});
