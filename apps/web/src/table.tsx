/**
 * The one table of the staff screens (courses, roster, attendance, certificates,
 * reports). On a phone each row becomes a small card whose cells carry their
 * column name (`data-label`, see styles.css), so nothing scrolls sideways at 360 px.
 * Imported only by the lazily loaded trainer/admin screens: keep it out of the
 * participant's first load.
 */
import type { ComponentChildren } from 'preact';
import { t } from './i18n';

export interface Column<T> {
  /** Header text; also the cell's label on a phone. */
  header: string;
  cell: (row: T, index: number) => ComponentChildren;
  /** Numbers are right-aligned on wide screens. */
  numeric?: boolean;
}

interface Props<T> {
  rows: readonly T[];
  columns: ReadonlyArray<Column<T> | false | null | undefined>;
  rowKey: (row: T, index: number) => string;
  /** Shown instead of an empty table. */
  empty?: ComponentChildren;
  caption?: string;
  testId?: string;
}

export function DataTable<T>({ rows, columns, rowKey, empty, caption, testId }: Props<T>) {
  const cols = columns.filter((c): c is Column<T> => !!c);
  if (!rows.length) return <p class="muted">{empty ?? t('none')}</p>;
  return (
    <div class="table-wrap">
      <table class="data-table" data-testid={testId}>
        {caption && <caption class="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {cols.map((c, i) => (
              <th key={i} scope="col" class={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={rowKey(row, r)}>
              {cols.map((c, i) => (
                <td key={i} data-label={c.header} class={c.numeric ? 'num' : undefined}>
                  {c.cell(row, r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
