import { didYouMean } from '../core/suggest.js';
import { GROUPING_TYPES, type BoltDefinition, type ComponentDefinition, type InputDefinition, type StreamDefinition } from './topology-definition.js';
import { describeValue, quoteList, type ReportProblem } from './topology-problem.js';

/**
 * Checks a bolt's subscriptions: each names an existing component and a stream it declares, with a grouping
 * that fits the stream, and no (component, stream) twice. A bolt may subscribe to itself, as in Storm.
 */
export function checkInputs(bolt: BoltDefinition, path: readonly (string | number)[], components: ReadonlyMap<string, ComponentDefinition>, report: ReportProblem): void {
  const seen = new Set<string>();
  bolt.inputs.forEach((input, i) => {
    const at = [...path, 'inputs', i];
    const subject = `bolt '${bolt.name}': ${describeGrouping(input)} on '${input.component}' stream '${input.stream}'`;
    const key = JSON.stringify([input.component, input.stream]);
    if (seen.has(key)) {
      report(at, `bolt '${bolt.name}': subscribes to '${input.component}' stream '${input.stream}' more than once; a bolt subscribes to a stream with one grouping`);
      return;
    }
    seen.add(key);

    const source = components.get(input.component);
    if (source === undefined) {
      report([...at, 'component'], `${subject}: there is no component '${input.component}'${didYouMean(input.component, components.keys())}; the components are ${quoteList(components.keys())}`);
      return;
    }
    const stream = source.outputs.find((candidate) => candidate.id === input.stream);
    if (stream === undefined) {
      const declared = source.outputs.map((candidate) => candidate.id);
      const known = declared.length === 0 ? 'it declares no streams' : `it declares ${quoteList(declared)}`;
      report([...at, 'stream'], `${subject}: ${source.kind} '${source.name}' declares no stream '${input.stream}'${didYouMean(input.stream, declared)}; ${known}`);
      return;
    }
    checkGrouping(input, stream, subject, at, report);
  });
}

function checkGrouping(input: InputDefinition, stream: StreamDefinition, subject: string, at: readonly (string | number)[], report: ReportProblem): void {
  const { grouping } = input;
  if (!GROUPING_TYPES.includes(grouping.type)) {
    report([...at, 'grouping'], `${subject}: unknown grouping type ${describeValue(grouping.type)}${didYouMean(String(grouping.type), GROUPING_TYPES)}; expected one of ${GROUPING_TYPES.join(', ')}`);
    return;
  }
  if (grouping.type === 'fields') {
    if (!Array.isArray(grouping.fields) || grouping.fields.length === 0) {
      report([...at, 'fields'], `${subject}: a fields grouping needs at least one field; the stream's fields are ${fieldList(stream)}`);
    } else {
      for (const field of grouping.fields) {
        if (!stream.fields.includes(field)) {
          report([...at, 'fields'], `${subject}: field ${describeValue(field)} is not in the stream${didYouMean(String(field), stream.fields)}; its fields are ${fieldList(stream)}`);
        }
      }
    }
  }
  if (grouping.type === 'direct' && !stream.direct) {
    report([...at, 'grouping'], `${subject}: direct grouping needs a direct stream, and '${input.stream}' is not declared direct (declare it with { direct: true })`);
  }
  if (grouping.type !== 'direct' && stream.direct) {
    report([...at, 'grouping'], `${subject}: '${input.stream}' is a direct stream, so its subscribers must use direct grouping`);
  }
  if (grouping.type === 'custom' && grouping.implementation !== undefined) {
    const { implementation } = grouping;
    if (typeof implementation?.prepare !== 'function' || typeof implementation.chooseTasks !== 'function') {
      report([...at, 'grouping'], `${subject}: the custom grouping must have prepare and chooseTasks methods`);
    }
  }
}

function describeGrouping(input: InputDefinition): string {
  const type: unknown = input.grouping?.type;
  return typeof type === 'string' && GROUPING_TYPES.includes(type as never) ? `${type} grouping` : 'subscription';
}

function fieldList(stream: StreamDefinition): string {
  return stream.fields.length === 0 ? '(none)' : quoteList(stream.fields);
}
