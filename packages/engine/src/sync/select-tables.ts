import type { TableDeclaration } from "@kaivo/codegen";
import { ConfigError, isObjectId, type KaivoConfig } from "../config/config.js";
import { planTable, type TablePlan } from "../plan/table-plan.js";

/**
 * The source tables a run syncs, planned with the config's column selection. A relation in the
 * selection brings its parent along (edges arrive in the parent's delta rounds), and the parent
 * always fills every relation the config selects: its delta link belongs to rounds that carry them
 * all, so `--tables group_owners` alone must not read groups without members (a different request,
 * which would resync groups now and again at the next full run).
 * `only` is the --tables flag.
 */
export function selectPlans(declarations: readonly TableDeclaration[], config: KaivoConfig, only: readonly string[] | undefined): TablePlan[] {
  const byName = declaredByName(declarations, "--tables", only ?? []);
  const configured = configuredTables(declarations, config);
  const wanted = only ? new Set(only) : configured;
  const relations = new Set<string>();
  const sources = new Set<string>();
  for (const name of wanted) {
    const d = byName.get(name)!;
    if (d.relation && !configured.has(name)) {
      // Its parent's rounds would carry it this once, and the parent's delta link would not fit the next run.
      throw new ConfigError("--tables", `${name} is not in the config's selection; its edges arrive with ${d.relation.parent}, whose rounds carry the same relations every run`, `Add ${name} to tables in ${config.file}.`);
    }
    const source = d.relation?.parent ?? name;
    sources.add(source);
    for (const r of declarations) if (r.relation?.parent === source && configured.has(r.name)) relations.add(r.name);
  }
  const columns = Object.fromEntries(Object.entries(config.tables ?? {}).map(([k, v]) => [k, v.columns]));
  return [...sources].sort().map((name) => {
    const d = byName.get(name)!;
    requireReferencedSettings(d, config);
    return planTable(d, declarations, { columns, relations });
  });
}

/** The tables the config selects: those it lists, or without a list each declaration selected by default. */
function configuredTables(declarations: readonly TableDeclaration[], config: KaivoConfig): Set<string> {
  return config.tables ? new Set(Object.keys(config.tables)) : new Set(declarations.filter((d) => d.selectedByDefault ?? true).map((d) => d.name));
}

/**
 * The tables a run without --tables keeps current: the config's selection, with the parent of each
 * relation in it. A table outside it keeps what its last sync wrote, which the views must not show
 * as current.
 */
export function tablesKeptCurrent(declarations: readonly TableDeclaration[], config: KaivoConfig): Set<string> {
  const configured = configuredTables(declarations, config);
  const parents = declarations.filter((d) => configured.has(d.name) && d.relation).map((d) => d.relation!.parent);
  return new Set([...configured, ...parents]);
}

/**
 * For each name, the table whose stored state covers it (what `kaivo state reset <names>` forgets):
 * the table itself, or for a relation its parent, whose rounds keep it. `where` names the
 * arguments in the error for an unknown one.
 */
export function stateHolders(declarations: readonly TableDeclaration[], names: readonly string[], where: string): Map<string, string> {
  const byName = declaredByName(declarations, where, names);
  return new Map(names.map((name) => [name, byName.get(name)!.relation?.parent ?? name]));
}

function declaredByName(declarations: readonly TableDeclaration[], where: string, names: readonly string[]): Map<string, TableDeclaration> {
  const byName = new Map(declarations.map((d) => [d.name, d]));
  for (const name of names) {
    if (!byName.has(name)) throw new ConfigError(where, `unknown table "${name}"`, `Declared tables: ${[...byName.keys()].join(", ")}.`);
  }
  return byName;
}

/** A declaration that takes a value `fromConfig` fails here, before anything is written, when the config lacks it. */
function requireReferencedSettings(d: TableDeclaration, config: KaivoConfig): void {
  const refs = [...Object.values(d.source?.body ?? {}), ...Object.values(d.source?.inject ?? {})];
  const needsUser = refs.some((ref) => typeof ref === "object" && "fromConfig" in ref && ref.fromConfig === "userId");
  if (needsUser && !config.userId) {
    throw new ConfigError(`${config.file} at /userId`, `table ${d.name} needs the object id of a user`, "Set userId in the config, or leave the table out of the selection.");
  }
  if (needsUser && !isObjectId(config.userId!)) {
    throw new ConfigError(`${config.file} at /userId`, `"${config.userId}" is not a user's object id, which is a GUID`, `Set userId to the Object ID on the user's page in the Entra admin center, or leave ${d.name} out of the selection.`);
  }
}
