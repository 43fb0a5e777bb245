/**
 * A recursive CTE named `scope`: the unit `$unit` of municipality `$municipality`, and, when `$subtree`
 * is true, every active unit below it. Parameters are given as placeholders such as '$2'.
 */
export function unitScope(unit: string, municipality: string, subtree: string): string {
  return `RECURSIVE scope AS (
    SELECT id FROM unit WHERE id = ${unit} AND municipality_id = ${municipality}
    UNION ALL
    SELECT u.id FROM unit u JOIN scope ON u.parent_id = scope.id WHERE ${subtree} AND u.archived_at IS NULL
  )`;
}
