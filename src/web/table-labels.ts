/**
 * Each body cell of a table gets its column's name as `data-label`, taken from the table's own header,
 * so that on a phone the stylesheet can stack a row into labelled lines (see app.css, «On a phone»)
 * without every page repeating its column names. A cell that already says its label keeps it.
 *
 * It reads markup this service made with `html` (every user value escaped, so `<` is always a tag).
 */
export function labelTableCells(markup: string): string {
  return markup.replace(/<table\b[\s\S]*?<\/table>/g, (table) => {
    const head = /<thead\b[\s\S]*?<\/thead>/.exec(table);
    if (!head) return table;
    const labels: string[] = [];
    for (const cell of head[0].matchAll(/<th\b([^>]*)>([\s\S]*?)<\/th>/g)) {
      const span = Number(/\scolspan="(\d+)"/.exec(cell[1])?.[1] ?? 1);
      for (let i = 0; i < span; i++) labels.push(textOf(cell[2]));
    }
    const before = table.slice(0, head.index + head[0].length);
    const rest = table.slice(before.length).replace(/<tr\b[\s\S]*?<\/tr>/g, (row) => {
      let column = 0;
      return row.replace(/<(td|th)\b([^>]*)>/g, (tag, name: string, attrs: string) => {
        const label = labels[column];
        column += Number(/\scolspan="(\d+)"/.exec(attrs)?.[1] ?? 1);
        return !label || /\sdata-label=/.test(attrs) ? tag : `<${name}${attrs} data-label="${label}">`;
      });
    });
    return before + rest;
  });
}

/** A header cell's words: its markup without tags (already escaped, so it can stand in an attribute). */
function textOf(cell: string): string {
  return cell.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').replace(/"/g, '&quot;').trim();
}
