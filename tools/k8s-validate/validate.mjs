// Reads the multi-document YAML that `kubectl kustomize` prints (stdin) and validates every object of a built-in
// kind, and the prometheus-operator ServiceMonitor, against the Kubernetes API schemas that the kubernetes-models
// packages compile (offline). Prints {"objects":[...],"invalid":[...],"unchecked":[...]} as JSON for
// tests/Infrastructure.Tests; exits 1 when an object is invalid or the input does not parse.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve, reject) => {
  const chunks = [];
  process.stdin.on("data", (chunk) => chunks.push(chunk));
  process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  process.stdin.on("error", reject);
});

const objects = [];
for (const document of parseAllDocuments(input)) {
  if (document.errors.length > 0) {
    console.error(document.errors.map((e) => e.message).join("\n"));
    process.exit(1);
  }
  const value = document.toJS();
  if (value !== null) objects.push(value);
}

// apiVersion "apps/v1" is kubernetes-models/apps/v1/<Kind>; the core group "v1" is kubernetes-models/v1/<Kind>.
async function modelFor(apiVersion, kind) {
  const modules = apiVersion === "monitoring.coreos.com/v1"
    ? [`@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`]
    : [`kubernetes-models/${apiVersion}/${kind}`];
  for (const name of modules) {
    try {
      return (await import(name))[kind];
    } catch (e) {
      if (e.code !== "ERR_MODULE_NOT_FOUND" && e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e;
    }
  }
  return undefined;
}

const invalid = [];
const unchecked = [];
for (const object of objects) {
  const id = `${object.apiVersion}/${object.kind}/${object.metadata?.name}`;
  const Model = typeof object.apiVersion === "string" && typeof object.kind === "string"
    ? await modelFor(object.apiVersion, object.kind)
    : undefined;
  if (!Model) {
    unchecked.push(id);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    invalid.push({ object: id, errors: (e.errors ?? [{ message: e.message }]).map((x) => `${x.instancePath ?? ""} ${x.message}`.trim()) });
  }
}

process.stdout.write(JSON.stringify({ objects, invalid, unchecked }));
// exitCode, not exit(): exit() would cut the output short of what the pipe has not taken yet.
process.exitCode = invalid.length > 0 ? 1 : 0;
