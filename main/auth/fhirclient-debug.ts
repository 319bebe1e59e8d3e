import { createRequire } from 'node:module';

interface DebugModule {
  enable(namespaces: string): void;
  disable(): string;
  enabled(namespace: string): boolean;
}

/** The `debug` package exactly as fhirclient loads it (resolved from fhirclient's own folder). */
export function fhirclientDebugModule(): DebugModule {
  const fromFhirclient = createRequire(createRequire(import.meta.url).resolve('fhirclient'));
  return fromFhirclient('debug') as DebugModule;
}

/**
 * fhirclient writes token requests and responses, authorization headers included, to its `FHIR*`
 * debug namespaces when DEBUG names them. Those lines must never be written, so the namespaces are
 * switched off whatever DEBUG says; other packages' debug output is left as it was.
 */
export function silenceFhirclientDebug(debug: DebugModule = fhirclientDebugModule()): void {
  const current = debug.disable();
  const kept = current
    .split(/[\s,]+/)
    .filter((ns) => ns !== '' && !/^-?FHIR/.test(ns))
    .join(',');
  debug.enable(kept ? `${kept},-FHIR*` : '-FHIR*');
}
