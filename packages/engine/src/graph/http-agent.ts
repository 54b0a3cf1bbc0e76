import { createSecureContext, rootCertificates } from "node:tls";
import { Agent } from "undici";

export interface HttpAgentOptions {
  /**
   * Extra CA certificate(s) in PEM, e.g. the simulator's self-signed certificate. They are added
   * to Node's built-in roots, so public hosts keep working. Without it only the built-in roots
   * (plus NODE_EXTRA_CA_CERTS) are trusted.
   */
  caPem?: string | undefined;
  /** Max sockets per origin. */
  connections?: number;
}

/** The undici Agent used for both the token endpoint and Graph, so both trust the same CAs. */
export function createHttpAgent(options: HttpAgentOptions = {}): Agent {
  return new Agent({
    connections: options.connections ?? 16,
    keepAliveTimeout: 10_000,
    // One secure context for every connection: parsing ~140 root certificates per TLS handshake
    // showed up in the sync benchmark's profile.
    ...(options.caPem === undefined ? {} : { connect: { secureContext: createSecureContext({ ca: [...rootCertificates, options.caPem] }) } }),
  });
}
