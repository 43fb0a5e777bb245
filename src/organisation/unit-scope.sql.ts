/**
 * How deep a walk up or down the unit tree may go. Municipal trees are a handful of levels deep; a walk
 * that carries its depth (and so never repeats a row) stops here even on a cycle that an owner forced
 * into the table by hand, instead of running until the statement timeout. Walks of ids alone use UNION,
 * which ends at the first repeated unit.
 */
export const UNIT_TREE_MAX_DEPTH = 64;

/**
 * A recursive CTE named `scope`: the unit `$unit` of municipality `$municipality`, and, when `$subtree`
 * is true, every active unit below it. Parameters are given as placeholders such as '$2'.
 */
export function unitScope(unit: string, municipality: string, subtree: string): string {
  return `RECURSIVE scope AS (
    SELECT id FROM unit WHERE id = ${unit} AND municipality_id = ${municipality}
    UNION
    SELECT u.id FROM unit u JOIN scope ON u.parent_id = scope.id WHERE ${subtree} AND u.archived_at IS NULL
  )`;
}
