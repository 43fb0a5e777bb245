import { labelTableCells } from './table-labels';

describe('labelTableCells', () => {
  it('gives each body cell its column name from the header, keeping labels already given', () => {
    const out = labelTableCells(
      '<table><thead><tr><th scope="col">Oppgave</th><th scope="col"><span class="visually-hidden">Velg</span> Frist</th><th>Enhet</th></tr></thead>' +
        '<tbody><tr><th scope="row">A &amp; B</th><td class="x">1.1.</td><td data-label="Egen">X</td></tr></tbody></table>',
    );
    expect(out).toContain('<th scope="row" data-label="Oppgave">A &amp; B</th>');
    expect(out).toContain('<td class="x" data-label="Velg Frist">1.1.</td>');
    expect(out).toContain('<td data-label="Egen">X</td>');
    expect(out).not.toContain('<th scope="col" data-label');
  });

  it('counts spanned columns and leaves tables without a header alone', () => {
    const out = labelTableCells('<table><thead><tr><th colspan="2">Ab</th><th>C</th></tr></thead><tr><td colspan="2">1</td><td>2</td></tr></table><table><tr><td>z</td></tr></table>');
    expect(out).toContain('<td colspan="2" data-label="Ab">1</td><td data-label="C">2</td>');
    expect(out).toContain('<table><tr><td>z</td></tr></table>');
  });
});
