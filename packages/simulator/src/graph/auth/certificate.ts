import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface SimulatorCertificate {
  /** The CA certificate clients must trust (PEM). */
  caPem: string;
  caFile: string;
  /** The server's key and certificate (signed by the CA) for node:https. */
  key: string;
  cert: string;
  /** Removes the temp dir the CA was written to (none when the caller gave the directory). */
  dispose(): Promise<void>;
}

/**
 * Generates a throwaway CA and a 127.0.0.1/localhost server certificate signed by it, and writes
 * the CA to `<stateDir>/ca.pem` (a fresh temp dir by default). EC keys keep start-up fast.
 */
export async function createCertificate(stateDir: string | undefined): Promise<SimulatorCertificate> {
  const dir = stateDir ?? (await mkdtemp(join(tmpdir(), "kaivo-graph-sim-")));
  await mkdir(dir, { recursive: true });
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
  const ca = await generate([{ name: "commonName", value: "Kaivo Graph Simulator CA" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
    ],
  });
  const caFile = join(dir, "ca.pem");
  await writeFile(caFile, ca.cert, "utf8");
  const dispose = stateDir ? async () => undefined : () => rm(dir, { recursive: true, force: true });
  return { caPem: ca.cert, caFile, key: server.private, cert: server.cert, dispose };
}
