// The reference SDK's generated TypeScript (zod schemas, axios functions) run
// under Node for tests/spec_proof/zodref.py. Reads one JSON request per line
// on stdin, answers one JSON line each on stdout.
// argv: node_modules folder (zod, typescript, @anatine/zod-mock, faker), the
// reference's src/generated folder.
"use strict"
const fs = require("fs")
const path = require("path")
const readline = require("readline")
const { createRequire } = require("module")

const [modulesDir, generatedDir] = process.argv.slice(2)
const need = createRequire(path.join(modulesDir, "node_modules", "x.js"))
const ts = need("typescript")
const zod = need("zod")
const { generateMock } = need("@anatine/zod-mock")
const { faker } = need("@faker-js/faker")
// Dates relative to a fixed day, not today: the same documents on every run.
faker.setDefaultRefDate(new Date("2026-01-01T00:00:00Z"))

const loaded = new Map()

// The reference's modules import zod, faker, a hand-written axios wrapper
// (absent here: replaced by one that returns the request it was given), msw
// (only inside request handlers, never called here) and types.
function requireFor(spec) {
  if (spec === "zod") return zod
  if (spec === "@faker-js/faker") return { faker }
  if (spec.endsWith("custom-axios")) return { customInstance: (config) => config }
  return {}
}

function load(file) {
  if (!loaded.has(file)) {
    const source = fs.readFileSync(file, "utf8")
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 }
    }).outputText
    const mod = { exports: {} }
    new Function("require", "module", "exports", js)(requireFor, mod, mod.exports)
    loaded.set(file, mod.exports)
  }
  return loaded.get(file)
}

function sources(api, suffix) {
  const root = path.join(generatedDir, api, "api")
  const out = []
  for (const tag of fs.readdirSync(root).sort()) {
    for (const name of fs.readdirSync(path.join(root, tag)).sort()) {
      const plain = !name.endsWith(".zod.ts") && !name.endsWith(".msw.ts")
      if (suffix ? name.endsWith(suffix) : plain && name.endsWith(".ts")) {
        out.push(path.join(root, tag, name))
      }
    }
  }
  return out
}

// Every operation function: called with marker arguments, the stub returns
// its request, whose URL shows where the path parameters go ("{}").
function operations(api) {
  const out = []
  for (const file of sources(api, null)) {
    const text = fs.readFileSync(file, "utf8")
    const documented = new Set(
      [...text.matchAll(/@summary[^\n]*\n\s*\*\/\s*\nexport const (\w+)/g)].map((m) => m[1])
    )
    for (const [name, fn] of Object.entries(load(file))) {
      if (typeof fn !== "function") continue
      const markers = Array.from({ length: fn.length + 1 }, (_, i) => `\u0001${i}\u0001`)
      const config = fn(...markers)
      out.push({
        name,
        method: config.method.toUpperCase(),
        path: config.url.replace(/\u0001\d+\u0001/g, "{}"),
        tag: path.basename(path.dirname(file)),
        documented: documented.has(name)
      })
    }
  }
  return out
}

function schemas(api) {
  const out = {}
  for (const file of sources(api, ".zod.ts")) {
    for (const [name, value] of Object.entries(load(file))) {
      if (value instanceof zod.ZodType) out[name] = value
    }
  }
  return out
}

const schemaCache = new Map()
function schemasOf(api) {
  if (!schemaCache.has(api)) schemaCache.set(api, schemas(api))
  return schemaCache.get(api)
}

// Query values arrive as strings (lists of them); the zod schemas expect the
// typed values the reference's client would have been given.
function coerce(schema, values) {
  const def = schema._def
  switch (def.typeName) {
    case "ZodOptional":
    case "ZodNullable":
    case "ZodDefault":
      return coerce(def.innerType, values)
    case "ZodEffects":
      return coerce(def.schema, values)
    case "ZodArray":
      return values.map((v) => coerce(def.type, [v]))
    case "ZodUnion":
      for (const option of def.options) {
        const value = coerce(option, values)
        if (option.safeParse(value).success) return value
      }
      return values.length === 1 ? values[0] : values
  }
  if (values.length !== 1) return values
  const [text] = values
  if (def.typeName === "ZodNumber" && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) {
    return Number(text)
  }
  if (def.typeName === "ZodBoolean" && (text === "true" || text === "false")) {
    return text === "true"
  }
  return text
}

function coerceQuery(schema, query) {
  const shape = schema._def.typeName === "ZodObject" ? schema.shape : {}
  const out = {}
  for (const [key, values] of Object.entries(query)) {
    out[key] = key in shape ? coerce(shape[key], values) : values.length === 1 ? values[0] : values
  }
  return out
}

// Path values in the path's order, named as the reference names them (the
// names never reach the wire; its Params objects list them in path order).
function byPosition(schema, values) {
  const names = schema._def.typeName === "ZodObject" ? Object.keys(schema.shape) : []
  if (names.length !== values.length) return values
  return Object.fromEntries(names.map((name, i) => [name, values[i]]))
}

// Keys the value has but the parsed result lost: zod objects drop keys they
// do not declare, so these are fields the reference does not know.
function dropped(value, parsed, where, out) {
  if (Array.isArray(value) && Array.isArray(parsed)) {
    value.forEach((v, i) => dropped(v, parsed[i], `${where}/${i}`, out))
  } else if (value && parsed && typeof value === "object" && typeof parsed === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (!(key in parsed)) out.push(`${where}/${key}: not declared by the reference`)
      else dropped(v, parsed[key], `${where}/${key}`, out)
    }
  }
  return out
}

function validate(api, checks) {
  const known = schemasOf(api)
  return checks.map(({ schema, value, query, path }) => {
    const zodSchema = known[schema]
    if (!zodSchema) return [`no zod schema named ${schema}`]
    let input = query ? coerceQuery(zodSchema, value) : value
    if (path) input = byPosition(zodSchema, value)
    const result = zodSchema.safeParse(input)
    if (!result.success) {
      return result.error.issues.map((i) => `/${i.path.join("/")}: ${i.message}`)
    }
    return dropped(input, result.data, "", [])
  })
}

function mocks(api, schema, count) {
  const zodSchema = schemasOf(api)[schema]
  if (!zodSchema) return null
  return Array.from({ length: count }, (_, seed) => generateMock(zodSchema, { seed: seed + 1 }))
}

// The reference's own MSW mock factory for an operation (faker, seeded).
function mswMocks(api, operation, count) {
  const factory = `get${operation[0].toUpperCase()}${operation.slice(1)}ResponseMock`
  for (const file of sources(api, ".msw.ts")) {
    const make = load(file)[factory]
    if (typeof make === "function") {
      return Array.from({ length: count }, (_, seed) => {
        faker.seed(seed + 1)
        return make()
      })
    }
  }
  return null
}

const handlers = {
  operations: (req) => operations(req.api),
  schemas: (req) => Object.keys(schemasOf(req.api)).sort(),
  validate: (req) => validate(req.api, req.checks),
  mocks: (req) => mocks(req.api, req.schema, req.count),
  mswMocks: (req) => mswMocks(req.api, req.operation, req.count)
}

const lines = readline.createInterface({ input: process.stdin })
lines.on("line", (line) => {
  let answer
  try {
    const req = JSON.parse(line)
    answer = { ok: handlers[req.cmd](req) }
  } catch (error) {
    answer = { error: String(error && error.stack ? error.stack : error) }
  }
  process.stdout.write(JSON.stringify(answer) + "\n")
})
