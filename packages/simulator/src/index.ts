// Stand-ins for the two outside systems Kaivo talks to. Nothing here imports a product package.
export * from "./graph/index.js";
export * from "./bigquery/index.js";
