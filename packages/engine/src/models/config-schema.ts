/**
 * JSON Schema (draft-07) of a model's front matter: the JSON object between the two `---` lines
 * at the top of every file in models/. It is the reference for model configuration.
 */
export const MODEL_CONFIG_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://kaivo.dev/schema/model-config.schema.json",
  title: "Kaivo model configuration",
  description: "Front matter of one model file: how the model is materialized, what it means, and the data tests run after it is built.",
  type: "object",
  additionalProperties: false,
  required: ["description", "columns"],
  properties: {
    materialized: {
      enum: ["view", "table"],
      default: "view",
      description: "view: CREATE OR REPLACE VIEW (always current, computed on read). table: CREATE OR REPLACE TABLE ... AS (a snapshot taken at build time).",
      examples: ["view"],
    },
    description: {
      type: "string",
      minLength: 1,
      description: "The question the model answers, in one or two sentences.",
      examples: ["Every user who holds a directory role, directly or through a role-assignable group."],
    },
    columns: {
      type: "object",
      description: "Every output column with its meaning and optional column tests.",
      propertyNames: { pattern: "^[a-z_][a-z0-9_]*$" },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["description"],
        properties: {
          description: { type: "string", minLength: 1, description: "What the column holds.", examples: ["Object id of the user (GUID)."] },
          tests: {
            type: "array",
            description: "Column tests: unique, not_null, accepted_values, relationships.",
            items: { $ref: "#/definitions/columnTest" },
          },
        },
      },
    },
    tests: {
      type: "array",
      description: "Model tests: unique over several columns, or a named SQL assertion that selects the failing rows.",
      items: { $ref: "#/definitions/modelTest" },
    },
  },
  definitions: {
    columnTest: {
      oneOf: [
        { enum: ["unique", "not_null"], description: "No two rows share the value / no row has NULL.", examples: ["not_null"] },
        {
          type: "object",
          additionalProperties: false,
          required: ["accepted_values"],
          properties: {
            accepted_values: {
              type: "object",
              additionalProperties: false,
              required: ["values"],
              properties: { values: { type: "array", minItems: 1, items: { type: ["string", "number", "boolean"] } } },
              description: "Every non-NULL value is one of these.",
              examples: [{ values: ["direct", "group"] }],
            },
          },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["relationships"],
          properties: {
            relationships: {
              type: "object",
              additionalProperties: false,
              required: ["to", "field"],
              properties: {
                to: { type: "string", pattern: "^[a-z_][a-z0-9_]*$", description: "Name of another model." },
                field: { type: "string", pattern: "^[a-z_][a-z0-9_]*$", description: "Column of that model." },
              },
              description: "Every non-NULL value exists in `to`.`field` (a foreign key).",
              examples: [{ to: "stg_users", field: "user_id" }],
            },
          },
        },
      ],
    },
    modelTest: {
      oneOf: [
        {
          type: "object",
          additionalProperties: false,
          required: ["unique"],
          properties: {
            unique: {
              type: "object",
              additionalProperties: false,
              required: ["columns"],
              properties: { columns: { type: "array", minItems: 1, items: { type: "string", pattern: "^[a-z_][a-z0-9_]*$" } } },
              description: "No two rows share this combination of values.",
              examples: [{ columns: ["group_id", "member_id"] }],
            },
          },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["name", "sql"],
          properties: {
            name: { type: "string", pattern: "^[a-z_][a-z0-9_]*$", description: "Test name, shown in results." },
            description: { type: "string", description: "What the assertion checks." },
            sql: {
              type: "string",
              minLength: 1,
              description: "A SELECT that returns the failing rows (none when the assertion holds). A handlebars template: {{self}} is this model; ref, source and the dialect helpers work.",
              examples: ["SELECT * FROM {{self}} WHERE depth < 1"],
            },
          },
        },
      ],
    },
  },
} as const;
