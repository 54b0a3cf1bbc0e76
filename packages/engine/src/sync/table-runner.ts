import { rm } from "node:fs/promises";
import type { CommitRequest, EndedParents, RejectedRecord, TableWrite } from "../destinations/destination.js";
import type { SyncEvent, TableCounts } from "../events/sync-events.js";
import { DeltaTokenExpiredError, isForeignLink, PageLinkExpiredError } from "../graph/index.js";
import { cursorRoundSince, firstRequests, initialRoundRequests, injectedFields, requestCost, type FirstRequest } from "../plan/first-request.js";
import type { RelationPlan, TablePlan } from "../plan/table-plan.js";
import type { RoundCheckpoint, TableState } from "../state/table-state.js";
import { PendingRows, RecordProcessor } from "./commit-unit.js";
import { readPages, type PageStart } from "./page-reader.js";
import { MAX_TRACKED_OBJECTS, RejectedObjects } from "./rejected-objects.js";
import { EveryRecordRejectedError } from "./every-record-rejected.js";
import { SyncInterruptedError } from "./interrupted.js";
import { forEachInSlices } from "./sliced-loop.js";
import type { StagedRow } from "./staged-row.js";
import type { SyncContext } from "./sync-context.js";

/**
 * In complete rounds, batches spilled to disk per commit (and checkpoint): a crash re-fetches at
 * most this many batches (50k rows at the default 2,000). Each commit costs DuckDB a fixed share of
 * work whatever its size (bench/sync.mjs, 10 against 25: 100k users at 0 ms, medians of three,
 * 18.7 against 17.0 s; 1M users 328 against 216 s, peak RSS 735 against 714 MB).
 */
const COMPLETE_ROUND_BATCHES_PER_COMMIT = 25;

/**
 * Checkpoint commits of one table that may wait for the warehouse while its pages are still fetched
 * (their rows wait on disk). At 50 ms per request, with 2 the groups table's fetching, the longest
 * chain of requests, waited 0.4-1.5 s for DuckDB's queue of other tables' commits; with 4, none.
 */
const MAX_QUEUED_CHECKPOINTS = 4;

/** Ids per delta request that reads rejected objects again: Graph takes at most 50 in users' and groups' `$filter` (graph-api.md section 5.4). */
const IDS_PER_REREAD = 50;

/** A round as the walker needs it; `deltaLink` is the link a list-based initial round ends with. */
type Round = Pick<RoundCheckpoint, "initial" | "roundStartedAt" | "deltaLink">;

/** Counts per table name (the plan's table and its relations). */
export type TableRunCounts = Map<string, TableCounts>;

interface RelationBuffer {
  plan: RelationPlan;
  processor: RecordProcessor;
  rows: PendingRows;
  /** Warehouse column of the parent's key. */
  parentColumn: string;
  /**
   * Parents Graph reported removed since the last write was taken: their edges end, with the
   * parent's reason. `revived`: the parent came back alive later in the same write.
   */
  endedParents: Map<string, { reason: string; revived: boolean }>;
}

/**
 * Runs one planned table (and the relations it feeds) to completion: reads its Graph rounds page by
 * page and commits batches with their state, so a crash loses at most the uncommitted batch and a
 * rerun resumes from the last checkpoint.
 */
export class TableRunner {
  private readonly processor: RecordProcessor;
  private readonly rows: PendingRows;
  private readonly relations: RelationBuffer[];
  private rejects: RejectedRecord[] = [];
  /**
   * The checkpoint commits queued last, oldest first (at most MAX_QUEUED_CHECKPOINTS beyond the
   * ones already awaited). Each waits for the one before; fetching goes on meanwhile.
   */
  private queuedCheckpoints: Array<Promise<void>> = [];
  private checkpointFailed = false;
  private absentFieldsNoted = false;
  /** What the run summary says of the table besides its counts (see warn). */
  readonly warnings: string[] = [];
  /** A cursor table read again whole (see runCursor): its round merges instead of appending. */
  private rereading = false;
  /** A delta table's objects whose latest record was rejected (delta tables keyed by id only). */
  private rejectedObjects: RejectedObjects | undefined;
  private readonly counts: TableRunCounts = new Map();
  private pages = 0;
  private records = 0;

  constructor(
    private readonly plan: TablePlan,
    private readonly ctx: SyncContext,
  ) {
    this.processor = new RecordProcessor(plan.target, plan.declaration);
    this.rows = new PendingRows(plan.target, ctx.syncedAt, ctx.workDir);
    this.relations = plan.relations.map((r) => ({
      plan: r,
      processor: new RecordProcessor(r.target, r.declaration),
      rows: new PendingRows(r.target, ctx.syncedAt, ctx.workDir),
      parentColumn: r.target.columns.find((c) => c.graphName === r.parentField)!.name,
      endedParents: new Map(),
    }));
    for (const name of [plan.target.name, ...plan.relations.map((r) => r.target.name)]) this.counts.set(name, { inserted: 0, updated: 0, deleted: 0, rejected: 0 });
  }

  /** Counts of what has been committed so far for one of this runner's tables. */
  countsSoFar(table: string): TableCounts {
    return { ...(this.counts.get(table) ?? { inserted: 0, updated: 0, deleted: 0, rejected: 0 }) };
  }

  /** The newest checkpoint commit, which settles after every earlier one. */
  private get checkpointInFlight(): Promise<void> {
    return this.queuedCheckpoints.at(-1) ?? Promise.resolve();
  }

  private get interrupted(): boolean {
    return this.ctx.signal.aborted;
  }

  /** Whether state stored with `fingerprint` was written for this plan's request and columns. */
  private isCurrent(fingerprint: string | undefined): boolean {
    return fingerprint !== undefined && (fingerprint === this.plan.fingerprint || this.plan.earlierFingerprints.includes(fingerprint));
  }

  /** Whether a stored link was given by another host than the Graph configured now: it cannot be followed. */
  private fromAnotherHost(link: string | null | undefined): boolean {
    return !!link && isForeignLink(this.ctx.graph.graphBaseUrl, link);
  }

  private get name(): string {
    return this.plan.target.name;
  }

  async run(): Promise<TableRunCounts> {
    if (this.interrupted) throw new SyncInterruptedError();
    const state = await this.storedState();
    try {
      switch (this.plan.declaration.sync.mode) {
        case "full_refresh":
          await this.runFullRefresh(state);
          break;
        case "delta":
          await this.runDelta(state);
          break;
        case "cursor":
          await this.runCursor(state);
          break;
      }
    } catch (error) {
      // Its staged files are closed now rather than by the garbage collector (which warns).
      await this.dropPendingRows().catch(() => undefined);
      // A request still waiting for the budget or a retry when the run was asked to stop.
      if (this.interrupted && isAbortError(error)) throw new SyncInterruptedError();
      throw error;
    }
    return this.counts;
  }

  /**
   * The table's stored state, without its round position (delta link, cursor, checkpoint) when the
   * warehouse had lost the table or one of its relations: those rows must be read whole again.
   */
  private async storedState(): Promise<TableState> {
    // An earlier run's failure is history once this run commits: every state it writes clears it.
    const state: TableState = { ...((await this.ctx.destination.readState(this.name)) ?? {}), lastFailure: null };
    const lost = [this.name, ...this.plan.relations.map((r) => r.target.name)].filter((t) => this.ctx.createdTables.has(t));
    if (lost.length === 0 || !(state.deltaLink || state.cursor || state.checkpoint)) return state;
    this.ctx.onEvent({ type: "table.resync", table: this.name, reason: `the warehouse no longer had ${lost.join(", ")}, so Graph must send every object again` });
    return { ...state, deltaLink: null, cursor: null, checkpoint: null };
  }

  // ---- full refresh: stage every page, then replace the table atomically -------------------------

  private async runFullRefresh(state: TableState): Promise<void> {
    this.started("full");
    for (const first of firstRequests(this.plan, { kind: "list" }, this.ctx.connection)) {
      const inject = injectedFields(this.plan, this.ctx.connection, first.partition);
      for await (const page of this.pagesOf({ first })) {
        // A full refresh has no checkpoint: stopping leaves the table as it was.
        if (this.interrupted) throw new SyncInterruptedError();
        this.noteAbsentFields(page.records);
        await forEachInSlices(page.records, (record) => this.acceptRecord({ ...record, ...inject }, { honourRemoved: false, complete: true }));
        if (this.rows.inMemory >= this.ctx.batchRows) await this.rows.spill();
      }
    }
    const ownRejects = this.rejects.filter((r) => r.table === this.name);
    if (this.rows.size === 0 && ownRejects.length > 0) {
      // The table stays as it was; the rejects are kept, with their raw JSON, for the diagnosis.
      await this.ctx.destination.commit({ runId: this.ctx.runId, writes: [], rejects: this.takeRejects(), states: [] });
      this.counts.get(this.name)!.rejected += ownRejects.length;
      throw new EveryRecordRejectedError(this.name, this.plan.declaration.file, ownRejects);
    }
    await this.commit([await this.rows.take("replace")], state, false);
    await this.recordLastRun(state);
  }

  // ---- delta: initial round, later rounds from the stored deltaLink, resync on an expired token ---

  private async runDelta(state: TableState): Promise<void> {
    // Graph's delta requests filter by id alone, which is how such objects are read again.
    const keyedById = this.plan.target.keyColumns.length === 1 && this.plan.target.columns.some((c) => c.primaryKey && c.graphName === "id");
    this.rejectedObjects = keyedById ? new RejectedObjects(state.rejectedObjects) : undefined;
    const sameShape = this.isCurrent(state.fingerprint);
    const movedHost = this.fromAnotherHost(state.deltaLink) || this.fromAnotherHost(state.checkpoint?.nextLink);
    const checkpoint = !this.ctx.fullRefresh && !movedHost && this.isCurrent(state.checkpoint?.fingerprint) ? state.checkpoint : undefined;
    if (checkpoint) {
      this.started("resumed");
      const { nextLink, initial, roundStartedAt, deltaLink } = checkpoint;
      await this.walkDelta(state, { link: nextLink }, { initial, roundStartedAt, deltaLink });
    } else if (!this.ctx.fullRefresh && sameShape && !movedHost && state.deltaLink) {
      this.started("incremental");
      await this.walkDelta(state, { link: state.deltaLink }, { initial: false, roundStartedAt: this.ctx.syncedAt });
    } else {
      this.started("initial");
      if (state.deltaLink && this.ctx.fullRefresh) this.ctx.onEvent({ type: "table.resync", table: this.name, reason: "--full-refresh asks Graph to send every object again" });
      else if (state.deltaLink && !sameShape) this.ctx.onEvent({ type: "table.resync", table: this.name, reason: "its columns changed, or what it asks Graph for (the config's selection or the declaration), so Graph must send every object again" });
      else if (movedHost) this.ctx.onEvent({ type: "table.resync", table: this.name, reason: `its stored delta link is from another Graph host than ${this.ctx.graph.graphBaseUrl} (graph.baseUrl changed), so Graph must send every object again` });
      this.rejectedObjects?.clear();
      const { start, deltaLink } = await this.initialRound();
      await this.walkDelta(state, start, { initial: true, roundStartedAt: this.ctx.syncedAt, deltaLink });
    }
  }

  /**
   * Where a delta table's initial round starts: the delta function's first page, or for
   * source.initialRound "list" the collection's, after taking `$deltatoken=latest`: the link the
   * round ends with, from which the next round replays whatever changed while the list was read.
   */
  private async initialRound(): Promise<{ start: PageStart; deltaLink?: string | undefined }> {
    const { latestLink, pages } = initialRoundRequests(this.plan, this.ctx.connection);
    const start: PageStart = { first: this.single(pages) };
    if (latestLink.length === 0) return { start };
    const latest = this.single(latestLink);
    let deltaLink: string | undefined;
    for await (const page of this.pagesOf({ first: latest })) deltaLink = page.deltaLink ?? deltaLink;
    if (deltaLink === undefined) throw new Error(`${this.name}: Graph answered ${latest.path}?$deltatoken=latest without an @odata.deltaLink`);
    return { start, deltaLink };
  }

  private async walkDelta(state: TableState, start: PageStart, round: Round): Promise<void> {
    try {
      await this.walkRound(state, start, round);
    } catch (error) {
      if (!(error instanceof DeltaTokenExpiredError || error instanceof PageLinkExpiredError)) throw error;
      // An expired or invalid token: Graph must send everything again; rows it no longer has are marked vanished.
      // An expired page link (a list round's checkpoint kept too long): that initial round starts over.
      await this.abandonRound(
        error instanceof DeltaTokenExpiredError
          ? { type: "table.resync", table: this.name, reason: `Graph no longer accepts the stored delta token (${error.message})` }
          : { type: "table.restarted", table: this.name, reason: error.message },
      );
      this.rejectedObjects?.clear();
      const restart = error instanceof DeltaTokenExpiredError && error.location ? { start: { link: error.location } } : await this.initialRound();
      await this.walkRound({ ...state, checkpoint: null }, restart.start, { initial: true, roundStartedAt: this.ctx.syncedAt, deltaLink: restart.deltaLink });
    }
  }

  // ---- cursor: re-read from (cursor - look-back), append the ids not stored, advance to the newest value seen

  private async runCursor(state: TableState): Promise<void> {
    const sync = this.plan.declaration.sync;
    if (sync.mode !== "cursor") return;
    const checkpoint = !this.ctx.fullRefresh && !this.fromAnotherHost(state.checkpoint?.nextLink) && this.isCurrent(state.checkpoint?.fingerprint) ? state.checkpoint : undefined;
    // Events stored under other columns or another schema, as a delta table's rows are, are read
    // again whole: stored ones take the new columns, and ones the old declaration rejected arrive.
    // (A checkpoint leaves the state's fingerprint as it was: a resumed re-read is still one.)
    const reshaped = state.cursor != null && !this.isCurrent(state.fingerprint);
    this.rereading = this.ctx.fullRefresh || reshaped;
    const storedCursor = this.rereading ? null : (state.cursor ?? null);
    this.started(checkpoint ? "resumed" : storedCursor ? "incremental" : "initial");
    if (reshaped && !checkpoint && !this.ctx.fullRefresh) {
      this.ctx.onEvent({ type: "table.resync", table: this.name, reason: "its columns changed, or what it asks Graph for (the config's selection or the declaration), so Graph must send every event it keeps again" });
    }
    const since = cursorRoundSince(this.plan, storedCursor, this.ctx.now());
    const first: PageStart = { first: this.single(firstRequests(this.plan, { kind: "cursor", since }, this.ctx.connection)) };
    const walk = (start: PageStart, resumed: RoundCheckpoint | undefined) =>
      this.walkRound({ ...state, cursor: storedCursor }, start, {
        initial: false,
        roundStartedAt: resumed?.roundStartedAt ?? this.ctx.syncedAt,
        cursorField: sync.field,
        maxCursorSeen: resumed?.maxCursorSeen ?? null,
      });
    try {
      await walk(checkpoint ? { link: checkpoint.nextLink } : first, checkpoint ?? undefined);
    } catch (error) {
      if (!(error instanceof PageLinkExpiredError)) throw error;
      // Events the round already committed are read again; they keep one row each, as stored.
      await this.abandonRound({ type: "table.restarted", table: this.name, reason: error.message });
      await walk(first, undefined);
    }
  }

  // ---- shared round walker -------------------------------------------------------------------------

  private async walkRound(
    state: TableState,
    start: PageStart,
    round: Round & { cursorField?: string; maxCursorSeen?: string | null },
  ): Promise<void> {
    let maxCursorSeen = round.maxCursorSeen ?? null;
    let deltaLink: string | undefined;
    /** Where the round goes on from: the nextLink of the last page processed. */
    let resumeAt: string | undefined;
    let stopped = false;
    const complete = round.initial || round.cursorField !== undefined;
    const checkpointAt = (nextLink: string): RoundCheckpoint => ({
      nextLink,
      partition: 0,
      roundStartedAt: round.roundStartedAt,
      initial: round.initial,
      deltaLink: round.deltaLink,
      maxCursorSeen,
      fingerprint: this.plan.fingerprint,
    });
    try {
      for await (const page of this.pagesOf(start)) {
        // A failed checkpoint ends the round now (the await rethrows), not after the last page.
        if (this.checkpointFailed) await this.checkpointInFlight;
        if (complete) this.noteAbsentFields(page.records);
        await forEachInSlices(page.records, (record) => {
          if (round.cursorField) {
            const value = record[round.cursorField];
            // Compared as instants: Graph's fractions vary in length, so the strings do not sort.
            if (typeof value === "string" && (maxCursorSeen === null || Date.parse(value) > Date.parse(maxCursorSeen))) maxCursorSeen = value;
          }
          // Only rounds that follow a stored deltaLink carry partial objects.
          this.acceptRecord(record, { honourRemoved: true, complete });
        });
        deltaLink = page.deltaLink ?? deltaLink;
        resumeAt = page.nextLink;
        // Complete rows may wait on disk: a later complete row for the same key supersedes an earlier
        // one, which the merge's last-row-wins dedupe honours. Partial rows must fold in memory, so an
        // incremental round commits every batch; a complete one every COMPLETE_ROUND_BATCHES_PER_COMMIT, keeping memory flat.
        if (complete && this.rowsInMemory() >= this.ctx.batchRows) await this.spillAll();
        if (resumeAt && this.interrupted) {
          stopped = true;
          break;
        }
        if (resumeAt && this.pendingRows() >= this.ctx.batchRows * (complete ? COMPLETE_ROUND_BATCHES_PER_COMMIT : 1)) {
          await this.queueCheckpoint(state, checkpointAt(resumeAt));
        }
      }
    } catch (error) {
      if (!(this.interrupted && isAbortError(error))) {
        // A table that fails keeps what it read, as one asked to stop does; a round Graph wants started over does not.
        if (resumeAt && !(error instanceof DeltaTokenExpiredError || error instanceof PageLinkExpiredError)) await this.keepWhatWasRead(state, checkpointAt(resumeAt));
        throw error;
      }
      stopped = true;
    }
    if (stopped) {
      // Asked to stop: the pages processed so far commit with a checkpoint now, and the next run resumes there.
      if (resumeAt) await this.queueCheckpoint(state, checkpointAt(resumeAt));
      await this.checkpointInFlight;
      throw new SyncInterruptedError();
    }
    // Its rows join the round's last commit, which stores the round's deltaLink.
    await this.rereadDueObjects();
    await this.checkpointInFlight;
    const sweep = round.initial ? round.roundStartedAt : undefined;
    const final: TableState = round.cursorField
      ? { ...state, cursor: maxOf(state.cursor ?? null, maxCursorSeen), checkpoint: null }
      : this.withRejectedObjects({ ...state, deltaLink: deltaLink ?? round.deltaLink ?? state.deltaLink ?? null, checkpoint: null });
    await this.commit(await this.mergeWrites(sweep), { ...final, fingerprint: this.plan.fingerprint }, false);
    await this.recordLastRun(final);
  }

  /**
   * Commits the rows taken so far with `checkpoint`, while the next pages are fetched. Its rows are
   * already on disk, so when the warehouse is busy it waits its turn behind the previous one instead
   * of holding up fetching; commits stay in order, each with the state that its own data reaches.
   */
  private async queueCheckpoint(state: TableState, checkpoint: RoundCheckpoint): Promise<void> {
    const writes = await this.mergeWrites(undefined);
    const rejects = this.takeRejects();
    const committed = this.checkpointInFlight.then(() => this.commit(writes, this.withRejectedObjects({ ...state, checkpoint }), true, rejects));
    committed.catch(() => {
      this.checkpointFailed = true;
    });
    this.queuedCheckpoints.push(committed);
    // When the warehouse is the slower side, fetching waits rather than piling staged files up.
    if (this.queuedCheckpoints.length > MAX_QUEUED_CHECKPOINTS) await this.queuedCheckpoints.shift()!.catch(() => undefined);
  }

  /**
   * Commits the pages processed so far with `checkpoint` before the table fails, so the next run
   * resumes there instead of fetching them again. Best effort: the warehouse may be what failed.
   */
  private async keepWhatWasRead(state: TableState, checkpoint: RoundCheckpoint): Promise<void> {
    if (this.checkpointFailed) return;
    try {
      await this.queueCheckpoint(state, checkpoint);
      await this.checkpointInFlight;
    } catch {
      // The table's own error is the one reported.
    }
  }

  private rowsInMemory(): number {
    return this.rows.inMemory + this.relations.reduce((n, r) => n + r.rows.inMemory, 0);
  }

  private async spillAll(): Promise<void> {
    await Promise.all([this.rows.spill(), ...this.relations.map((r) => r.rows.spill())]);
  }

  private pendingRows(): number {
    return this.rows.size + this.relations.reduce((n, r) => n + r.rows.size, 0);
  }

  private async mergeWrites(sweepSyncedBefore: string | undefined): Promise<TableWrite[]> {
    const mode = this.mergeMode();
    const relationWrite = async (r: RelationBuffer): Promise<TableWrite> => {
      const write = await r.rows.take(mode, sweepSyncedBefore);
      if (r.endedParents.size === 0) return write;
      const endedParents: EndedParents = { column: r.parentColumn, beforeMerge: {}, afterMerge: {} };
      for (const [id, { reason, revived }] of r.endedParents) ((revived ? endedParents.beforeMerge : endedParents.afterMerge)[reason] ??= []).push(id);
      r.endedParents = new Map();
      return { ...write, endedParents };
    };
    return [await this.rows.take(mode, sweepSyncedBefore), ...(await Promise.all(this.relations.map(relationWrite)))];
  }

  /**
   * A cursor table's rounds append: the look-back re-reads events already stored, and an event never
   * changes. Read again whole (--full-refresh, changed columns), it merges, so stored rows take the new columns.
   */
  private mergeMode(): "merge" | "append" {
    return this.plan.declaration.sync.mode === "cursor" && !this.rereading ? "append" : "merge";
  }

  /**
   * Gives up the round under way so that it can start over: a checkpoint already under way holds
   * valid data and lands first; then `event` says why, and what was not committed is dropped.
   */
  private async abandonRound(event: SyncEvent): Promise<void> {
    await this.checkpointInFlight;
    this.ctx.onEvent(event);
    await this.dropPendingRows();
    for (const r of this.relations) r.endedParents = new Map();
    this.rejects = [];
  }

  /** Drops the rows staged since the last commit, theirs and the relations', closing their files. */
  private async dropPendingRows(): Promise<void> {
    await Promise.all([this.rows.clear(), ...this.relations.map((r) => r.rows.clear())]);
  }

  /**
   * Warns, once per run, when a selected field is in none of the records of the first page of
   * complete objects: Graph sends a collection's default properties only unless asked for the
   * others ($select), and a declaration that does not ask (source.select) fills such columns with
   * NULL without a word.
   */
  private noteAbsentFields(records: readonly Record<string, unknown>[]): void {
    const objects = records.filter((r) => !("@removed" in r));
    if (this.absentFieldsNoted || objects.length === 0) return;
    this.absentFieldsNoted = true;
    // Objects of several types (deleted items, owned objects) each carry their own type's properties.
    if (objects.some((r) => "@odata.type" in r)) return;
    const source = this.plan.declaration.source!;
    const supplied = new Set([...this.plan.declaration.primaryKey, ...Object.keys(source.inject ?? {})]);
    // Annotations (@odata.type) come only where Graph has something to say.
    const absent = this.plan.selectedFields.filter((f) => !f.startsWith("@") && !supplied.has(f) && !objects.some((r) => f in r));
    if (absent.length === 0) return;
    const names = absent.length <= 5 ? absent.join(", ") : `${absent.slice(0, 5).join(", ")} and ${absent.length - 5} more`;
    const why = source.select
      ? "their columns stay NULL; check the names against Graph's resource, and the app's permissions for them"
      : `Graph sends a collection's default properties only: set "select": true in the source of tables/${this.name}.json to ask for every declared one`;
    this.warn(`Graph sent none of ${names} in the ${objects.length} records of the first page; ${why}.`);
  }

  /** Adds to the warnings, and shows the warning in the progress at once. */
  private warn(message: string): void {
    this.warnings.push(message);
    this.ctx.onEvent({ type: "table.warning", table: this.name, message });
  }

  /**
   * Reads again whole, at the end of a round, the objects whose rejected record a later one changed
   * (RejectedObjects): with the delta function's first request filtered by their ids. An object
   * Graph no longer has is not sent; the next round reports it removed.
   */
  private async rereadDueObjects(): Promise<void> {
    const due = this.rejectedObjects?.takeDue() ?? [];
    if (due.length === 0) return;
    this.ctx.onEvent({ type: "table.reread", table: this.name, objects: due.length });
    const first = this.single(firstRequests(this.plan, { kind: "delta" }, this.ctx.connection));
    for (let i = 0; i < due.length; i += IDS_PER_REREAD) {
      const $filter = due.slice(i, i + IDS_PER_REREAD).map((id) => `id eq '${id.replaceAll("'", "''")}'`).join(" or ");
      for await (const page of this.pagesOf({ first: { ...first, query: { ...first.query, $filter } } })) {
        await forEachInSlices(page.records, (record) => this.acceptRecord(record, { honourRemoved: true, complete: true }));
      }
    }
  }

  /** The state with the objects RejectedObjects tracks, as the rows committed with it leave them. */
  private withRejectedObjects(state: TableState): TableState {
    return this.rejectedObjects ? { ...state, rejectedObjects: this.rejectedObjects.toState() } : state;
  }

  /** Validates, projects and buffers one record, plus the membership edges it carries. */
  private acceptRecord(record: Record<string, unknown>, how: { honourRemoved: boolean; complete: boolean }): void {
    const removed = how.honourRemoved ? (record["@removed"] as { reason?: string } | undefined) : undefined;
    const row = removed ? this.processor.removal(record, removed.reason ?? "deleted") : this.processor.upsert(record, how.complete);
    this.add(this.rows, this.rejectedObjects ? this.trackRejected(row) : row);
    const id = record.id === undefined || record.id === null ? undefined : String(record.id);
    if (removed) {
      // Graph sends a removed parent as its id alone: the edges it had end with it.
      if (id !== undefined) for (const r of this.relations) r.endedParents.set(id, { reason: removed.reason ?? "deleted", revived: false });
      return;
    }
    for (const relation of this.relations) {
      const ended = id === undefined ? undefined : relation.endedParents.get(id);
      if (ended) ended.revived = true;
      const edges = record[`${relation.plan.property}@delta`];
      if (!Array.isArray(edges)) continue;
      for (const member of edges as Array<Record<string, unknown>>) {
        const edge = { [relation.plan.parentField]: record.id, [relation.plan.memberField]: member.id, [relation.plan.memberTypeField]: member["@odata.type"] ?? null };
        const memberRemoved = member["@removed"] as { reason?: string } | undefined;
        this.add(relation.rows, memberRemoved ? relation.processor.removal(edge, memberRemoved.reason ?? "deleted") : relation.processor.upsert(edge, true));
      }
    }
  }

  /** Notes in RejectedObjects what `row` says of its object; a partial record of a rejected one becomes a patch. */
  private trackRejected(row: StagedRow | RejectedRecord): StagedRow | RejectedRecord {
    const tracked = this.rejectedObjects!;
    if (!("op" in row)) {
      if (row.recordId !== null && tracked.rejected(row.recordId)) {
        this.warn(`more than ${MAX_TRACKED_OBJECTS} of its objects' records were rejected; a later change to one of the others stores only the properties it carries: fix the declaration (the next run then reads the table whole).`);
      }
      return row;
    }
    if (row.op === "delete" || row.present === "all") tracked.settled(row.key);
    else if (tracked.changed(row.key)) return { ...row, op: "patch" };
    return row;
  }

  private add(rows: PendingRows, result: StagedRow | RejectedRecord): void {
    if ("op" in result) rows.add(result);
    else this.rejects.push(result);
  }

  /** The rejects since the last commit was queued: they belong to that commit's pages. */
  private takeRejects(): RejectedRecord[] {
    const rejects = this.rejects;
    this.rejects = [];
    return rejects;
  }

  private async commit(writes: TableWrite[], state: TableState, isCheckpoint: boolean, rejects = this.takeRejects()): Promise<void> {
    const request: CommitRequest = { runId: this.ctx.runId, writes, rejects, states: [{ table: this.name, state: this.keyed(state) }] };
    const rejectedByTable = new Map<string, number>();
    for (const r of rejects) rejectedByTable.set(r.table, (rejectedByTable.get(r.table) ?? 0) + 1);
    const counts = await this.ctx.destination.commit(request);
    await Promise.all(writes.flatMap((w) => w.files.map((f) => rm(f, { force: true }))));
    for (const [table, c] of counts) {
      const total = this.counts.get(table)!;
      total.inserted += c.inserted;
      total.updated += c.updated;
      total.deleted += c.deleted;
    }
    for (const [table, n] of rejectedByTable) this.counts.get(table)!.rejected += n;
    for (const table of this.counts.keys()) this.ctx.onEvent({ type: "table.committed", table, counts: { ...this.counts.get(table)! }, checkpoint: isCheckpoint });
  }

  /**
   * Adds the run's statistics to the state, in a state-only commit after the data: the counts of
   * the final merge are known only once it has run. Delta links and cursors were already committed
   * with their data.
   */
  private async recordLastRun(state: TableState): Promise<void> {
    const stats = this.ctx.graph.stats(this.name);
    const lastRun = { runId: this.ctx.runId, finishedAt: this.ctx.now().toISOString(), ...this.counts.get(this.name)!, requests: stats.requests };
    await this.ctx.destination.commit({ runId: this.ctx.runId, writes: [], rejects: [], states: [{ table: this.name, state: this.keyed({ ...state, checkpoint: null, fingerprint: this.plan.fingerprint, lastRun }) }] });
  }

  /** The state with the key the table's rows are merged by, which goes with the data merged by it. */
  private keyed(state: TableState): TableState {
    return { ...state, key: [...this.plan.target.keyColumns] };
  }

  /**
   * Notes in the table's state that this run failed it, with `message` (already redacted), after
   * whatever it committed (`kaivo build` then warns that the views show older data). Best effort:
   * the warehouse may be what failed.
   */
  async recordFailure(message: string): Promise<void> {
    try {
      await this.checkpointInFlight.catch(() => undefined);
      const state = (await this.ctx.destination.readState(this.name)) ?? {};
      const lastFailure = { runId: this.ctx.runId, failedAt: this.ctx.now().toISOString(), message: message.split("\n")[0]!.slice(0, 500) };
      await this.ctx.destination.commit({ runId: this.ctx.runId, writes: [], rejects: [], states: [{ table: this.name, state: { ...state, lastFailure } }] });
    } catch {
      // The run's summary reports the failure either way.
    }
  }

  private pagesOf(start: PageStart) {
    const source = this.plan.declaration.source!;
    const pages = readPages(this.ctx.graph, this.name, requestCost(source), start, source.shape === "singleton", this.ctx.signal);
    const ctx = this.ctx;
    const runner = this;
    return (async function* () {
      for await (const page of pages) {
        runner.pages += 1;
        runner.records += page.records.length;
        ctx.onEvent({ type: "page.fetched", table: runner.name, pages: runner.pages, records: runner.records, requests: ctx.graph.stats(runner.name).requests });
        yield page;
      }
    })();
  }

  /** The one first request of a delta or cursor round (only full refresh reads partitions). */
  private single(requests: readonly FirstRequest[]): FirstRequest {
    if (requests.length !== 1) throw new Error(`${this.name}: partitioned sources support full refresh only`);
    return requests[0]!;
  }

  private started(round: "initial" | "incremental" | "resumed" | "full"): void {
    this.ctx.onEvent({ type: "table.started", table: this.name, mode: this.plan.declaration.sync.mode, round });
    for (const r of this.plan.relations) this.ctx.onEvent({ type: "table.started", table: r.target.name, mode: r.declaration.sync.mode, round, parent: this.name });
  }
}

/** The rejection of a wait cut short by the run's AbortSignal. */
function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

function maxOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return new Date(a).getTime() >= new Date(b).getTime() ? a : b;
}
