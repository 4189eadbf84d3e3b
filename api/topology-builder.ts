import { BoltDeclarer } from './bolt-declarer.js';
import type { Bolt, BoltFactory } from './bolt.js';
import { type ComponentDraft, SpoutDeclarer } from './component-declarer.js';
import type { ConfigMap } from './config-value.js';
import { declaredOutputs } from './declared-outputs.js';
import { freezeTopology } from './freeze-topology.js';
import type { Spout, SpoutFactory } from './spout.js';
import type { BoltDefinition, SpoutDefinition, StreamDefinition, TopologyDefinition } from './topology-definition.js';
import { TopologyError } from './topology-error.js';
import { validateTopology } from './topology-validation.js';

/**
 * Declares a topology's spouts and bolts and how they subscribe to each other, then builds the
 * {@link TopologyDefinition}, as Storm's TopologyBuilder does.
 *
 * A component is given as an object or as a factory. Each task runs in its own process, which loads the
 * topology module and so gets its own copy of an object given here; a factory is still the better form when the
 * constructor opens connections or holds much state, since `build` calls it once to read the output fields.
 *
 * @example
 * const builder = new TopologyBuilder();
 * builder.setSpout('word', () => new WordSpout(), 4);
 * builder.setBolt('count', () => new CountBolt(), 3).fieldsGrouping('word', ['word']);
 * export default builder.build('word-count', { 'topology.stmgrs': 2 });
 */
export class TopologyBuilder {
  private readonly drafts: ComponentDraft[] = [];

  /** Adds a spout with `parallelism` tasks; returns its declarer. Names are checked by `build`. */
  setSpout(name: string, spout: Spout | SpoutFactory, parallelism = 1): SpoutDeclarer {
    return new SpoutDeclarer(this.add('spout', name, spout, parallelism));
  }

  /** Adds a bolt with `parallelism` tasks; subscribe it to streams through the returned declarer. */
  setBolt(name: string, bolt: Bolt | BoltFactory, parallelism = 1): BoltDeclarer {
    return new BoltDeclarer(this.add('bolt', name, bolt, parallelism));
  }

  /**
   * Builds the topology: calls each component's factory once and its `declareOutputFields`, checks everything
   * with {@link validateTopology}, and returns a deeply frozen definition (later calls on this builder do not
   * change it). Throws a TOPOLOGY_INVALID {@link TopologyError} listing every problem found, including those of
   * a factory or `declareOutputFields` that threw (the first such error is the `cause`).
   */
  build(name: string, config: ConfigMap = {}): TopologyDefinition {
    const problems: string[] = [];
    const failures: unknown[] = [];
    const outputsOf = (draft: ComponentDraft): StreamDefinition[] => {
      problems.push(...draft.problems);
      try {
        const instance = draft.create();
        const [method, article] = draft.kind === 'spout' ? ['nextTuple', 'a'] : ['execute', 'an'];
        if (instance === null || typeof instance !== 'object' || typeof (instance as Record<string, unknown>)[method] !== 'function') {
          problems.push(`${draft.kind} '${draft.name}': expected a ${draft.kind} (an object with ${article} ${method} method) or a function returning one`);
          return [];
        }
        return declaredOutputs(instance);
      } catch (error) {
        failures.push(error);
        problems.push(`${draft.kind} '${draft.name}': ${describeFailure(error)}`);
        return [];
      }
    };

    const spouts: SpoutDefinition[] = [];
    const bolts: BoltDefinition[] = [];
    for (const draft of this.drafts) {
      const common = { name: draft.name, parallelism: draft.parallelism, resources: draft.resources, outputs: outputsOf(draft), config: draft.config };
      if (draft.kind === 'spout') spouts.push({ ...common, kind: 'spout', factory: draft.create as SpoutFactory });
      else bolts.push({ ...common, kind: 'bolt', inputs: draft.inputs, factory: draft.create as BoltFactory });
    }
    const topology = freezeTopology({ name, spouts, bolts, config });
    problems.push(...validateTopology(topology));
    if (problems.length > 0) {
      const invalid = TopologyError.invalid(name, problems);
      if (failures.length === 0) throw invalid;
      throw new TopologyError(invalid.message, { code: 'TOPOLOGY_INVALID', problems, cause: failures[0] });
    }
    return topology;
  }

  private add(kind: 'spout' | 'bolt', name: string, component: object, parallelism: number): ComponentDraft {
    // A function is a factory; an object is wrapped in one that returns it (one object per task process).
    const create = typeof component === 'function' ? (component as () => unknown) : () => component;
    const draft: ComponentDraft = { kind, name, parallelism, create, resources: {}, config: {}, inputs: [], problems: [] };
    this.drafts.push(draft);
    return draft;
  }
}

function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // The common slip of passing a class where a factory is expected.
  if (error instanceof TypeError && /without 'new'/.test(message)) {
    return `creating it failed (${message}); pass a factory such as () => new MyComponent()`;
  }
  return `creating it or declaring its output fields failed: ${message}`;
}
