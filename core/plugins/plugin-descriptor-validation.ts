import { PLUGIN_FAMILIES, PLUGIN_NAME_PATTERN } from './plugin-descriptor.js';

/**
 * What is wrong with a value that should be a plugin descriptor, one line per problem (empty when it is fine).
 * External plugins come from code Egret does not control, so every field is checked before anything uses it.
 */
export function descriptorProblems(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [`expected a plugin descriptor object, got ${value === null ? 'null' : typeof value}`];
  const d = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof d['family'] !== 'string' || !(PLUGIN_FAMILIES as readonly string[]).includes(d['family'])) {
    problems.push(`family ${JSON.stringify(d['family'])} is not one of ${PLUGIN_FAMILIES.join(', ')}`);
  }
  if (typeof d['name'] !== 'string' || !PLUGIN_NAME_PATTERN.test(d['name'])) {
    problems.push(`name ${JSON.stringify(d['name'])} is not kebab-case (lower-case words joined by '-', e.g. 'my-scheduler')`);
  }
  if (typeof d['description'] !== 'string' || d['description'].trim() === '') {
    problems.push('description must be a non-empty string');
  }
  const schema = d['configSchema'] as { shape?: unknown; safeParse?: unknown } | undefined;
  if (!schema || typeof schema !== 'object' || typeof schema.safeParse !== 'function' || schema.shape === null || typeof schema.shape !== 'object') {
    problems.push("configSchema must be a zod object schema (z.object({...}); use the 'z' exported by egret/spi)");
  }
  if (typeof d['configToken'] !== 'symbol') {
    problems.push('configToken must be a symbol (e.g. Symbol.for(\'my-plugin.config\'))');
  }
  const module = d['module'] as { load?: unknown } | undefined;
  if (!module || typeof module !== 'object' || typeof module.load !== 'function') {
    problems.push("module must be an inversify ContainerModule (use the 'ContainerModule' exported by egret/spi)");
  }
  if (d['usesTls'] !== undefined && typeof d['usesTls'] !== 'boolean') {
    problems.push(`usesTls must be true, false or left out, got ${JSON.stringify(d['usesTls'])}`);
  }
  return problems;
}
