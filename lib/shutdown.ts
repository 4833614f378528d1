// Work to finish before the process exits: scripts/serve.mjs runs these hooks after the HTTP
// server has stopped and the requests in flight are done (graceful shutdown).
type Hook = () => Promise<void> | void;

const globalHooks = globalThis as unknown as { portcullisShutdownHooks?: Hook[] };

/** Registers a hook once (registering the same function again does nothing). */
export function onShutdown(hook: Hook): void {
  const hooks = (globalHooks.portcullisShutdownHooks ??= []);
  if (!hooks.includes(hook)) hooks.push(hook);
}
