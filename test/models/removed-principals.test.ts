import { describe, expect, test } from "vitest";
import { declarations } from "../support/expected.js";
import { kaivo } from "../support/kaivo.js";
import { startTenant, WAREHOUSES } from "../support/tenant.js";

describe.each(WAREHOUSES)("principals removed while their edges stay live, in %s", (warehouse) => {
  test("a role holder deleted in a run that could not read directoryroles holds no role and no membership in the views", async () => {
    const tenant = await startTenant({ users: 60, seed: 63 }, { tables: Object.fromEntries(declarations.map((d) => [d.name, {}])) }, warehouse);
    try {
      expect((await kaivo(["run"], { cwd: tenant.dir, env: tenant.env })).code).toBe(0);
      const c = tenant.sim.control;
      const groupMembers = new Set([...c.groupMemberships()].map((m) => m.memberId));
      const holder = [...c.directoryRoleMemberships()].find((e) => e.memberType.endsWith("user") && e.memberId !== tenant.sim.userId && groupMembers.has(e.memberId))!;
      expect(holder, "the tenant has a user who holds a role and belongs to a group").toBeDefined();

      // Graph does not always report a removed member's edges removed; here directoryroles cannot be read at all.
      for (const permission of ["RoleManagement.Read.Directory", "Directory.Read.All"]) c.revokePermission(permission);
      c.deleteUser(holder.memberId);
      const run = await kaivo(["run"], { cwd: tenant.dir, env: tenant.env });
      expect(run.code, run.out).toBe(1);
      expect(run.out).toMatch(/^directoryroles\s+FAILED/m);
      const liveEdge = (t: (table: string) => string) => `SELECT count(*) AS n FROM ${t("directoryrole_members")} WHERE member_id = '${holder.memberId}' AND _kaivo_deleted_at IS NULL`;
      expect(await tenant.query(liveEdge)).toStrictEqual([{ n: 1 }]);

      const build = await kaivo(["build"], { cwd: tenant.dir, env: tenant.env });
      expect(build.code, build.out).toBe(0);
      const rows = (view: string, column: string) => tenant.query((t) => `SELECT count(*) AS n FROM ${t(view)} WHERE ${column} = '${holder.memberId}'`);
      expect(await rows("privileged_access", "principal_id")).toStrictEqual([{ n: 0 }]);
      expect(await rows("group_membership_effective", "member_id")).toStrictEqual([{ n: 0 }]);
      expect(await rows("stg_removed_principals", "principal_id")).toStrictEqual([{ n: 1 }]);
    } finally {
      await tenant.close();
    }
  }, 120_000);
});
