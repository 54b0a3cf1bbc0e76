import { KaivoError } from "@kaivo/codegen";

/** Another run holds the connection's lease. */
export class LeaseHeldError extends KaivoError {
  constructor(holder: string, expiresAt: string, location: string) {
    super("KAIVO_LEASE_HELD", "config", `Another kaivo run (${holder}) is syncing into ${location}; its lease holds until ${expiresAt}.`, {
      hint: "Wait for it to finish. If that run is gone, the lease expires by itself at the time shown.",
    });
  }
}

/** The warehouse refused or failed a statement or job. */
export class WarehouseError extends KaivoError {
  constructor(
    message: string,
    readonly jobId?: string,
    options: { cause?: unknown; hint?: string; retryable?: boolean } = {},
  ) {
    super("KAIVO_WAREHOUSE_FAILED", options.retryable ? "transient" : "upstream", message, options);
  }
}

/** BigQuery cannot be used as configured (not reached, the credentials refused, no such project): no statement can run. */
export class WarehouseAccessError extends KaivoError {
  constructor(message: string, category: "config" | "transient", hint: string, cause: unknown) {
    super("KAIVO_WAREHOUSE_ACCESS", category, message, { hint, cause });
  }
}

/** The dataset lives in another location than the configured one: BigQuery runs a job only in its dataset's location. */
export class DatasetLocationError extends KaivoError {
  constructor(dataset: string, stored: string, configured: string) {
    super("KAIVO_DATASET_LOCATION", "config", `The BigQuery dataset ${dataset} is in ${stored}, but warehouse.location is ${configured}: BigQuery runs jobs only in their dataset's location.`, {
      hint: `Set warehouse.location to "${stored}" in the config (a dataset's location never changes), or name a dataset in ${configured}.`,
    });
  }
}

/** A stored column of an incremental table whose type the declaration has since changed. */
export interface ChangedColumn {
  table: string;
  column: string;
  stored: string;
  declared: string;
}

/**
 * The declaration now gives stored columns another type. Kaivo never changes a stored column's
 * type (the rows kept from earlier runs hold the old one), so the run stops before writing.
 */
export class ColumnTypeChangedError extends KaivoError {
  constructor(readonly changed: readonly ChangedColumn[], location: string) {
    super(
      "KAIVO_COLUMN_TYPE_CHANGED",
      "config",
      `${changed.map((c) => `${c.table}.${c.column} is ${c.stored} in ${location}, but its declaration (tables/${c.table}.json) now makes it ${c.declared}`).join("; ")}.`,
      {
        hint: 'Kaivo never changes the type of a stored column. Keep the field\'s type, or store it in a new column ("x-kaivo-column" in the declaration; the old one keeps its values), or drop the table so the next run syncs it anew.',
      },
    );
  }
}

/** Tables whose declared key differs from the key their stored rows were merged by. */
export interface ChangedKey {
  table: string;
  stored: readonly string[];
  declared: readonly string[];
}

/**
 * A delta or cursor table's declaration changed its key: merging by the new key would match stored
 * rows kept apart by the old one, and overwrite them with each other.
 */
export class KeyChangedError extends KaivoError {
  constructor(readonly changed: readonly ChangedKey[], location: string) {
    super(
      "KAIVO_KEY_CHANGED",
      "config",
      `${changed.map((c) => `${c.table} was synced into ${location} keyed on ${JSON.stringify(c.stored)}, but its declaration (tables/${c.table}.json) now keys it on ${JSON.stringify(c.declared)}`).join("; ")}.`,
      { hint: "Rows merged by another key would overwrite rows the old key kept apart. Restore primaryKey, or drop the table so the next run syncs it anew." },
    );
  }
}

/** A synced table's name is taken by a view (a model built before the table was declared). */
export class TableIsViewError extends KaivoError {
  constructor(tables: readonly string[], location: string) {
    super("KAIVO_TABLE_IS_VIEW", "config", `${tables.join(", ")} ${tables.length === 1 ? "is a view" : "are views"} in ${location}, not ${tables.length === 1 ? "a synced table" : "synced tables"}: a model has the name of a declared table.`, {
      hint: "Rename the model (or the table's declaration), and drop the view: a table and a model cannot share a name.",
    });
  }
}

/** The warehouse holds another tenant's data: a run would mix the two. */
export class OtherTenantError extends KaivoError {
  constructor(stored: string, requested: string, location: string) {
    super("KAIVO_OTHER_TENANT", "config", `${location} holds the data of tenant ${stored}; syncing tenant ${requested} into it would mix the two.`, {
      hint: "Give each tenant a warehouse of its own (warehouse.path, or the BigQuery dataset).",
    });
  }
}
