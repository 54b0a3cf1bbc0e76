export { ConfigError, requireGraphApp, type KaivoConfig, type GraphConfig, type DuckDbWarehouseConfig, type BigQueryWarehouseConfig } from "./config.js";
export { loadConfig, configFromValues, requireClientSecret, DEFAULT_CONFIG_FILE, type ConfigEnvironment, type RawConfig } from "./load-config.js";
export { starterConfig } from "./starter-config.js";
