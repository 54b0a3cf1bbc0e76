/**
 * The built file of a worker thread's module that sits beside the caller. Under vitest the engine
 * runs from its TypeScript sources, which a worker thread cannot load: the worker then runs the
 * built file from dist/ (the tests run after the build).
 */
export function siblingWorkerScript(callerUrl: string, name: string): URL {
  const script = new URL(`./${name}.js`, callerUrl);
  if (!callerUrl.endsWith(".ts")) return script;
  const at = script.pathname.lastIndexOf("/src/");
  script.pathname = `${script.pathname.slice(0, at)}/dist/${script.pathname.slice(at + "/src/".length)}`;
  return script;
}
