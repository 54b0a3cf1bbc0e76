export type {
  Dialect, ModelTarget, Materialization, ModelConfig, ColumnConfig, ColumnTestConfig, ModelTestConfig,
  DataTestDefinition, ModelDefinition, ModelInput, ModelProject,
} from "./types.js";
export type { BuildResult, ModelResult, DataTestResult, ModelEvent, ModelStatus, DataTestStatus } from "./build-result.js";
export {
  ModelTemplateError, ModelRefError, ModelCycleError, ModelConfigError, ModelSelectionError,
  type ModelConfigProblem, type CycleStep, type TemplateLocation,
} from "./errors.js";
export { MODEL_CONFIG_SCHEMA } from "./config-schema.js";
export { loadModelProject, type LoadModelProjectOptions } from "./load-model-project.js";
export { modelFilesByName } from "./discover-model-files.js";
export { renderModel, renderModelQuery, renderDataTest } from "./render-model.js";
export { selectModels } from "./select-models.js";
export { buildModels, type BuildModelsOptions } from "./build-models.js";
export type { ModelExecutor } from "./model-executor.js";
export { HELPER_NAMES } from "./template-helpers.js";
export { LOGICAL_TYPES, type LogicalType, type SqlDialect, dialectFor } from "./dialects/index.js";
